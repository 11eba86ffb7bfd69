using Shouldly;
using Xunit;

namespace LatencyGate.Tests.Hostile;

/// <summary>Issue 18, round 7: what its sweep found (outputs that are inputs, counts past what can be allocated, rows and columns read silently, files init wrote broken).</summary>
public sealed class HostileRound7Tests
{
    [Theory]
    [InlineData("2147483647")]
    [InlineData("1000001")]
    public void A_sample_count_no_list_can_hold_is_LG0902_not_an_internal_error(string count)
    {
        // int.MaxValue asked the sampler for a List it could not allocate: OutOfMemoryException, exit 3.
        Hostile.Run("sample", "--space", Hostile.Space, "--count", count).ShouldFailWith("LG0902").ShouldContain("between 1 and 1000000");
    }

    [Fact]
    public void Fit_out_naming_its_own_measurements_is_LG0045_and_leaves_them_as_they_were()
    {
        using var fleet = new TempFolder("examples/fleet");
        var csv = fleet.File("data/phone-mid.csv");
        var before = File.ReadAllBytes(csv);
        Hostile.Run("fit", "--space", Hostile.Space, "--data", csv, "--out", csv)
            .ShouldFailWith("LG0045").ShouldContain("it is also the input --data");
        File.ReadAllBytes(csv).ShouldBe(before);

        // Through a symbolic link too: the link names the measurements, --out the file itself.
        var link = fleet.File("link.csv");
        File.CreateSymbolicLink(link, csv);
        Hostile.Run("fit", "--space", Hostile.Space, "--data", link, "--out", csv).ShouldFailWith("LG0045");
        File.ReadAllBytes(csv).ShouldBe(before);
    }

    [Fact]
    public void Fit_out_over_a_table_of_its_base_folder_is_LG0045_and_a_new_file_there_is_fine()
    {
        using var fleet = new TempFolder("examples/fleet");
        var table = fleet.File("luts/phone-big/160_lookup_table.yaml");
        var before = File.ReadAllBytes(table);
        Hostile.Run("fit", "--space", Hostile.Space, "--data", fleet.File("data/edge-npu.csv"), "--base", fleet.File("luts/phone-big"), "--out", table)
            .ShouldFailWith("LG0045").ShouldContain("a file of the input folder --base");
        File.ReadAllBytes(table).ShouldBe(before);
    }

    [Fact]
    public void Simulate_and_export_outputs_naming_their_inputs_are_refused()
    {
        using var fleet = new TempFolder("examples/fleet");
        var archs = fleet.File("archs.jsonl");
        File.WriteAllText(archs, Hostile.Run("sample", "--space", Hostile.Space, "--count", "3").Stdout);
        var listBefore = File.ReadAllText(archs);
        Hostile.Run("simulate", "--device", "sim-phone-mid", "--space", Hostile.Space, "--archs", archs, "--out", archs)
            .ShouldFailWith("LG0045").ShouldContain("it is also the input --archs");
        File.ReadAllText(archs).ShouldBe(listBefore);

        var arch = fleet.File("model/arch.json");
        var archBefore = File.ReadAllText(arch);
        Hostile.Run("export", "--space", Hostile.Space, "--arch", arch, "--out", arch)
            .ShouldFailWith("LG0802").ShouldContain("it is also the input --arch");
        File.ReadAllText(arch).ShouldBe(archBefore);
    }

    [Fact]
    public void Simulate_with_both_archs_and_count_is_LG0900_not_one_of_them_ignored()
    {
        using var folder = new TempFolder();
        var archs = folder.File("archs.jsonl");
        File.WriteAllText(archs, Hostile.Run("sample", "--space", Hostile.Space, "--count", "3").Stdout);
        Hostile.Run("simulate", "--device", "sim-phone-mid", "--space", Hostile.Space, "--archs", archs, "--count", "50", "--out", folder.File("m.csv"))
            .ShouldFailWith("LG0900").ShouldContain("not both");
        File.Exists(folder.File("m.csv")).ShouldBeFalse();
    }

    [Theory]
    [InlineData(",12,5", "row has 3 cells; the header has 2 (a decimal comma")]
    [InlineData(",12.5,extra", "row has 3 cells; the header has 2")]
    public void A_measurements_row_longer_than_its_header_is_LG0150_not_read_in_part(string tail, string message)
    {
        // "arch,12,5" (a decimal comma) was read as 12 ms and the ",5" dropped without a word.
        using var fleet = new TempFolder("examples/fleet");
        var lines = File.ReadAllLines(fleet.File("data/phone-mid.csv"));
        lines[4] = lines[4][..lines[4].LastIndexOf(',')] + tail;
        var csv = fleet.File("comma.csv");
        File.WriteAllLines(csv, lines);
        foreach (var args in new[]
        {
            new[] { "evaluate", "--predictor", fleet.File("predictors/edge-gpu.safetensors"), "--data", csv },
            ["fit", "--space", Hostile.Space, "--data", csv, "--out", fleet.File("o.safetensors")],
        })
        {
            Hostile.Run(args).ShouldFailWith("LG0150").ShouldStartWith($"{csv}(5,1): error LG0150: {message}");
        }

        File.Exists(fleet.File("o.safetensors")).ShouldBeFalse();
    }

    [Fact]
    public void A_device_column_named_twice_in_the_header_is_LG0861_for_monotonicity_and_sample()
    {
        // Round 5 made it LG0861 in the measurements reader; the monotonicity table took the first 'a'.
        using var folder = new TempFolder();
        var csv = folder.File("m.csv");
        // Ids from 1: 'id' is read as a device below, and a 0 is no latency (LG0722).
        File.WriteAllLines(csv, ["id,a,a,c", .. Enumerable.Range(1, 20).Select(i => $"{i},{1 + i},{2 + (i * 3 % 7)},{3 + (i % 4)}")]);
        Hostile.Run("monotonicity", "--data", csv, "--columns", "a,c", "--bootstrap", "10")
            .ShouldFailWith("LG0861").ShouldStartWith($"{csv}(1,1): error LG0861: the header names the column 'a' 2 times (columns 2, 3)");
        Hostile.Run("monotonicity", "--data", csv, "--columns", "id,c", "--bootstrap", "10").ExitCode.ShouldBe(0, "a repeated column nobody reads is fine");
    }

    [Theory]
    [InlineData("monotonicity")]
    [InlineData("sample")]
    [InlineData("fit")]
    public void A_columns_list_naming_a_column_twice_is_LG0728(string command)
    {
        // monotonicity --columns a,a compared a device with itself: Spearman 1, "proxy a -> a".
        using var fleet = new TempFolder("examples/fleet");
        var archs = File.ReadAllLines(fleet.File("data/phone-mid.csv")).Skip(1).Take(20).Select(l => l[..l.LastIndexOf(',')]).ToArray();
        var csv = fleet.File("sources.csv");
        File.WriteAllLines(csv, ["arch,a,b", .. archs.Select((a, i) => $"{a},{1 + i},{2 + (i * 3 % 7)}")]);
        string[] args = command switch
        {
            "monotonicity" => ["monotonicity", "--data", csv, "--columns", "a, b,a", "--bootstrap", "10"],
            "sample" => ["sample", "--data", csv, "--columns", "a,a", "--count", "3"],
            _ => ["fit", "--space", Hostile.Space, "--data", csv, "--columns", "a,a", "--out", fleet.File("prior.safetensors")],
        };
        Hostile.Run(args).ShouldFailWith("LG0728").ShouldContain("--columns names 'a' 2 times");
        File.Exists(fleet.File("prior.safetensors")).ShouldBeFalse();
    }

    [Fact]
    public void A_correlation_of_a_constant_device_is_na_in_text_and_null_with_a_reason_in_json()
    {
        // The text printed "NaN [NaN,NaN]" and "SRCC NaN"; --json had nulls without saying why.
        using var folder = new TempFolder();
        var csv = folder.File("m.csv");
        File.WriteAllLines(csv, ["id,a,b", .. Enumerable.Range(0, 20).Select(i => $"{i},{1 + i},5")]);
        var text = Hostile.Run("monotonicity", "--data", csv, "--columns", "a,b", "--bootstrap", "10");
        text.ExitCode.ShouldBe(0, text.Stderr);
        text.Stdout.ShouldNotContain("NaN");
        text.Stdout.ShouldContain("n/a [n/a,n/a]");
        text.Stdout.ShouldContain("n/a a/b: 'a' or 'b' has the same latency on every arch both measured");

        var json = Hostile.Run("monotonicity", "--data", csv, "--columns", "a,b", "--bootstrap", "10", "--json");
        using var doc = System.Text.Json.JsonDocument.Parse(json.Stdout);
        doc.RootElement.GetProperty("spearman")[0][1].GetProperty("value").ValueKind.ShouldBe(System.Text.Json.JsonValueKind.Null);
        doc.RootElement.GetProperty("undefined").GetProperty("a/b").GetString()!.ShouldContain("same latency");
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-3")]
    public void Fit_batch_size_no_reader_accepts_is_LG0156_before_the_file_is_written(string batch)
    {
        // It was recorded as is: a predictor file that predict, evaluate and the gate then refused (LG0107).
        using var fleet = new TempFolder("examples/fleet");
        Hostile.Run("fit", "--space", Hostile.Space, "--data", fleet.File("data/phone-mid.csv"), "--batch-size", batch, "--out", fleet.File("o.safetensors"))
            .ShouldFailWith("LG0156").ShouldContain("--batch-size must be between 1 and 1000000");
        File.Exists(fleet.File("o.safetensors")).ShouldBeFalse();
    }

    [Fact]
    public void A_predictor_file_in_another_unit_than_ms_is_LG0107_not_read_as_milliseconds()
    {
        using var fleet = new TempFolder("examples/fleet");
        var file = fleet.File("predictors/edge-gpu.safetensors");
        var bytes = File.ReadAllBytes(file);
        var text = System.Text.Encoding.Latin1.GetString(bytes);
        // Same length, so the header length and the data offsets stay right.
        File.WriteAllBytes(file, System.Text.Encoding.Latin1.GetBytes(text.Replace("\"unit\":\"ms\"", "\"unit\":\"s \"", StringComparison.Ordinal)));
        Hostile.Run("predict", "--predictor", file, "--arch", fleet.File("model/arch.json"))
            .ShouldFailWith("LG0107").ShouldContain("'unit' is 's '");
    }

    [Theory]
    [InlineData("t #1")]
    [InlineData("'q")]
    [InlineData("true")]
    [InlineData("a: b")]
    public void Init_writes_a_lut_folder_of_any_name_so_that_check_reads_it_back(string name)
    {
        // Written verbatim, 't #1' was read back as 't' (the rest a YAML comment) and "'q" broke the manifest.
        using var fleet = new TempFolder("examples/fleet");
        var tables = fleet.File(name);
        Directory.CreateDirectory(tables);
        foreach (var table in Directory.GetFiles(fleet.File("luts/phone-big")))
        {
            File.Copy(table, Path.Combine(tables, Path.GetFileName(table)));
        }

        var manifest = fleet.File("starter.yaml");
        Hostile.Run("init", "--path", manifest, "--lut", name).ExitCode.ShouldBe(0);
        var check = Hostile.Run("check", "-m", manifest, "--report-dir", fleet.File("reports"));
        check.ExitCode.ShouldBeOneOf(0, 1);
        check.Stderr.ShouldNotContain("error LG");
    }

    [Theory]
    [InlineData("/etc", "LG0021")]
    [InlineData("", "LG0020")]
    public void Init_lut_that_names_no_tables_is_refused_not_written_into_the_starter(string lut, string code)
    {
        using var folder = new TempFolder();
        Hostile.Run("init", "--path", folder.File("m.yaml"), "--lut", lut).ShouldFailWith(code);
        File.Exists(folder.File("m.yaml")).ShouldBeFalse();
    }

    [Theory]
    [InlineData("")]
    [InlineData("x\ny")]
    public void Init_schema_that_cannot_stand_on_the_first_line_is_LG0912(string schema)
    {
        // A line break in --schema made the starter's first-line comment spill into YAML (LG0400 at check).
        using var folder = new TempFolder();
        Hostile.Run("init", "--path", folder.File("m.yaml"), "--schema", schema).ShouldFailWith("LG0912");
        File.Exists(folder.File("m.yaml")).ShouldBeFalse();
    }
}
