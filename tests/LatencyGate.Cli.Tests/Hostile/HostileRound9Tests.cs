using Shouldly;
using Xunit;

namespace LatencyGate.Tests.Hostile;

/// <summary>Issue 18, round 9: what its sweep of measure, export, doctor, builtin profiles, arch keys, report formats, odd numbers and full disks found.</summary>
public sealed class HostileRound9Tests
{
    private const string Key = "r192-d23232-k35|553|53|553|53-e34|443|43|443|44";

    [Theory]
    [InlineData("r١٩٢-d23232-k35|553|53|553|53-e34|443|43|443|44")]
    [InlineData("r１９２-d23232-k35|553|53|553|53-e34|443|43|443|44")]
    public void An_arch_key_with_digits_of_another_script_in_an_arch_list_is_LG0805_at_its_line(string key)
    {
        // The key's pattern took any Unicode digit (\d) and int.Parse then threw: LG0999, exit 3.
        using var dir = new TempFolder();
        var archs = dir.File("archs.txt");
        File.WriteAllText(archs, Key + "\n" + key + "\n");
        Hostile.Run("measure", "--space", Hostile.Space, "--archs", archs, "--out", dir.File("m.csv"), "--runs", "3", "--passes", "1", "--warmup", "0")
            .ShouldFailWith("LG0805").ShouldStartWith(archs + "(2,1): ");
        File.Exists(dir.File("m.csv")).ShouldBeFalse();
    }

    [Theory]
    [InlineData("١٩٢")]
    [InlineData("99999999999")]
    public void A_file_in_a_table_folder_named_like_a_table_of_no_resolution_is_not_a_table(string resolution)
    {
        // '١٩٢_lookup_table.yaml' matched the tables' name pattern (\d+) and int.Parse threw
        // (FormatException; OverflowException for 99999999999): LG0999 from predict, evaluate, check.
        using var fleet = new TempFolder("examples/fleet");
        File.Copy(fleet.File("luts/phone-big/192_lookup_table.yaml"), fleet.File($"luts/phone-big/{resolution}_lookup_table.yaml"));
        var result = Hostile.Run("predict", "--lut", fleet.File("luts/phone-big"), "--arch-json", Key);
        result.ExitCode.ShouldBe(0, result.Stderr);
        result.Stdout.ShouldContain("5 resolutions, 160..224");
    }

    [Fact]
    public void Simulate_past_a_million_rows_is_LG0902_before_it_fills_memory()
    {
        // --count 1000000 --repeats 1000 built a billion rows in memory (3.5 GB after 20 s, still growing).
        using var dir = new TempFolder();
        Hostile.Run("simulate", "--device", "sim-edge-npu", "--space", Hostile.Space, "--count", "1001", "--repeats", "1000", "--out", dir.File("s.csv"))
            .ShouldFailWith("LG0902").ShouldContain("1,001,000 rows");
        File.Exists(dir.File("s.csv")).ShouldBeFalse();
    }

    [Fact]
    public void Simulate_lut_out_that_fails_at_one_table_leaves_no_table_folder_half_written()
    {
        // Each table was written alone: a failure at the third (here a folder in its place; a full
        // disk does the same) left the first two, a folder that loads with fewer resolutions.
        using var dir = new TempFolder();
        var lut = dir.File("lut");
        Directory.CreateDirectory(Path.Combine(lut, "192_lookup_table.yaml"));
        Hostile.Run("simulate", "--device", "sim-edge-npu", "--space", Hostile.Space, "--lut-out", lut, "--lut-resolutions", "160,176,192,208")
            .ShouldFailWith("LG0028");
        Directory.GetFiles(lut).ShouldBeEmpty();
    }

    [Fact]
    public void An_empty_report_format_list_in_the_manifest_is_LG0434_at_its_line()
    {
        // 'formats: []' wrote no report and said nothing, while 'check --format ""' is LG0521.
        using var fleet = new TempFolder("examples/fleet");
        var manifest = Hostile.LutManifest(fleet, extra: "outputs: {formats: []}");
        var result = Hostile.Run("check", "-m", manifest, "--report-dir", fleet.File("rep"));
        result.ShouldFailWith("LG0434").ShouldStartWith(manifest + "(5,20): ");
        File.Exists(fleet.File("rep/latency-gate.json")).ShouldBeFalse();
    }

    [Theory]
    [InlineData("", "1-64 characters")]
    [InlineData("   ", "1-64 characters")]
    [InlineData("a\nb", "did you mean 'a b'?")]
    [InlineData(" Tesla P40 ", "did you mean 'Tesla P40'?")]
    [InlineData("pixel-7-pixel-7-pixel-7-pixel-7-pixel-7-pixel-7-pixel-7-pixel-7-p", "did you mean 'pixel-7-pixel-7-pixel-7-pixel-7-pixel-7-pixel-7-pixel-7-pixel-7-'?")]
    public void Fit_device_that_is_no_device_name_is_LG0156_before_the_file_is_written(string device, string message)
    {
        // Any text went into the predictor file (an empty name, a line break predict then printed, 5,000 characters).
        using var fleet = new TempFolder("examples/fleet");
        var output = fleet.File("p.safetensors");
        var result = Hostile.Run("fit", "--space", Hostile.Space, "--data", fleet.File("data/phone-mid.csv"), "--device", device, "--out", output);
        result.ShouldFailWith("LG0156");
        result.Stderr.ShouldContain(message);
        File.Exists(output).ShouldBeFalse();
    }

    [Theory]
    [InlineData("pixel-7_a.b")]
    [InlineData("Tesla P40")]
    public void Fit_device_of_a_valid_name_is_recorded(string device)
    {
        using var fleet = new TempFolder("examples/fleet");
        var output = fleet.File("p.safetensors");
        Hostile.Run("fit", "--space", Hostile.Space, "--data", fleet.File("data/phone-mid.csv"), "--device", device, "--out", output).ExitCode.ShouldBe(0);
        Hostile.Run("predict", "--predictor", output, "--arch-json", Key).Stdout.ShouldContain($"for {device}]");
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-0")]
    [InlineData("0.0000001")]
    public void A_zero_latency_in_monotonicity_data_is_LG0722_at_its_cell(string value)
    {
        // A 0 counted as a measurement (the fastest arch of the device) while negative cells are "not measured".
        using var dir = new TempFolder();
        var csv = dir.File("m.csv");
        File.WriteAllLines(csv, ["id,a,b", .. Enumerable.Range(1, 8).Select(i => i == 4 ? $"{i},{value},{i * 2}" : $"{i},{i},{i * 2}")]);
        Hostile.Run("monotonicity", "--data", csv, "--columns", "a,b").ShouldFailWith("LG0722").ShouldStartWith(csv + "(5,2): ");
        Hostile.Run("sample", "--data", csv, "--columns", "a,b", "--count", "2").ShouldFailWith("LG0722");
    }

    [Fact]
    public void Negative_and_empty_monotonicity_cells_are_still_not_measured()
    {
        using var dir = new TempFolder();
        var csv = dir.File("m.csv");
        File.WriteAllLines(csv, ["id,a,b", .. Enumerable.Range(1, 8).Select(i => i switch { 3 => "3,-1,6", 5 => "5,,10", _ => $"{i},{i},{i * 2}" })]);
        var result = Hostile.Run("monotonicity", "--data", csv, "--columns", "a,b");
        result.ExitCode.ShouldBe(0, result.Stderr);
        result.Stdout.ShouldContain("6 archs measured on all 2 devices");
    }

    [Theory]
    [InlineData("OnnxRuntime")]
    [InlineData("ONNXRUNTIME")]
    public void A_measured_devices_runtime_is_read_without_regard_to_case_as_measure_runtime_is(string runtime)
    {
        // 'measure --runtime OnnxRuntime' measured, a manifest's 'runtime: OnnxRuntime' was LG0800.
        using var dir = new TempFolder();
        var manifest = MeasuredManifest.Write(dir.Path, 10_000, $"{{runtime: {runtime}, warmup: 0, runs: 3, passes: 1}}");
        var result = Hostile.Run("check", "-m", manifest, "--format", "json");
        result.ExitCode.ShouldBe(0, result.Stderr);
        result.Stdout.ShouldContain("onnxruntime");
    }

    [Fact]
    public void A_runtime_name_no_host_ships_is_still_LG0800_with_a_did_you_mean()
    {
        using var dir = new TempFolder();
        var manifest = MeasuredManifest.Write(dir.Path, 10_000, "{runtime: onnxruntim, warmup: 0, runs: 3, passes: 1}");
        Hostile.Run("check", "-m", manifest, "--format", "json").ShouldFailWith("LG0800").ShouldContain("did you mean 'onnxruntime'?");
    }

    [Theory]
    [InlineData("1e300")]
    [InlineData("1000000001")]
    public void A_budget_above_a_billion_ms_is_LG0406_not_printed_with_three_hundred_digits(string budget)
    {
        using var fleet = new TempFolder("examples/fleet");
        var manifest = Hostile.LutManifest(fleet);
        File.WriteAllText(manifest, File.ReadAllText(manifest).Replace("budget_ms: 14", $"budget_ms: {budget}", StringComparison.Ordinal));
        Hostile.Run("check", "-m", manifest, "--report-dir", fleet.File("rep")).ShouldFailWith("LG0406").ShouldContain("1e9");
    }

    [Theory]
    [InlineData("8:1e300:3")]
    [InlineData("1e10:1e11:2")]
    public void A_sweep_past_a_billion_ms_is_LG0907(string sweep)
    {
        using var fleet = new TempFolder("examples/fleet");
        var manifest = Hostile.LutManifest(fleet, extra: "search: {population: 10, generations: 2}");
        Hostile.Run("search", "-m", manifest, "--sweep", sweep, "--out", fleet.File("out")).ShouldFailWith("LG0907").ShouldContain("1e9");
        Directory.Exists(fleet.File("out")).ShouldBeFalse();
    }

    [Theory]
    [InlineData("hello world")]
    [InlineData("notes\nsecond line without its line break")]
    [InlineData("arch,latency_ms\n\"{}\",1")]
    public void Measure_out_naming_a_file_of_no_line_break_is_LG0804_and_the_file_is_kept(string content)
    {
        // A file without a final line break was taken for a torn row of an earlier run and cut
        // (before the header was checked): 'hello world' was wiped and replaced by measurements, and
        // a refused run still cut the last line of the user's file.
        using var dir = new TempFolder();
        var archs = dir.File("archs.jsonl");
        File.WriteAllText(archs, Hostile.Run("sample", "--space", Hostile.Space, "--count", "1").Stdout);
        var output = dir.File("notes.txt");
        File.WriteAllText(output, content);
        Hostile.Run("measure", "--space", Hostile.Space, "--archs", archs, "--out", output, "--runs", "3", "--passes", "1", "--warmup", "0", "--anchor", "none")
            .ShouldFailWith("LG0804").ShouldContain("not a measurements file of this tool");
        File.ReadAllText(output).ShouldBe(content);
    }

    [Fact]
    public void Measure_out_holding_a_header_cut_short_by_a_killed_run_starts_again()
    {
        using var dir = new TempFolder();
        var archs = dir.File("archs.jsonl");
        File.WriteAllText(archs, Hostile.Run("sample", "--space", Hostile.Space, "--count", "1").Stdout);
        var output = dir.File("m.csv");
        File.WriteAllText(output, "arch,latency_ms,cpu_ms,wall");
        var result = Hostile.Run("measure", "--space", Hostile.Space, "--archs", archs, "--out", output, "--runs", "3", "--passes", "1", "--warmup", "0", "--anchor", "none");
        result.ExitCode.ShouldBe(0, result.Stderr);
        File.ReadAllLines(output).Length.ShouldBe(2);
    }

    [Fact]
    public void Fit_base_naming_one_base_twice_is_LG0156_not_an_ensemble_of_one()
    {
        // '--base luts/phone-big --base luts/phone-big' adapted "an ensemble of all 2 bases".
        using var fleet = new TempFolder("examples/fleet");
        var lut = fleet.File("luts/phone-big");
        var link = fleet.File("same-tables");
        Directory.CreateSymbolicLink(link, lut);
        string[] fit = ["fit", "--space", Hostile.Space, "--data", fleet.File("data/phone-mid.csv"), "--out", fleet.File("p.safetensors")];
        Hostile.Run([.. fit, "--base", lut, "--base", lut + "/"]).ShouldFailWith("LG0156").ShouldContain("2 times");
        Hostile.Run([.. fit, "--base", lut, "--base", link]).ShouldFailWith("LG0156");
        Hostile.Run([.. fit, "--base", "builtin:note10", "--base", "builtin:NOTE10"]).ShouldFailWith("LG0156");
        File.Exists(fleet.File("p.safetensors")).ShouldBeFalse();
        Hostile.Run([.. fit, "--base", lut, "--base", "builtin:macs"]).ExitCode.ShouldBe(0);
    }

    [Fact]
    public void A_line_break_quoted_back_in_a_diagnostic_is_escaped_so_one_finding_is_one_line()
    {
        // A path or value with a line break printed its tail as a line of its own: a forged
        // 'FILE(1,1): error LG0000' for a CI log parser, or a '::error::' command GitHub Actions runs.
        using var fleet = new TempFolder("examples/fleet");
        var predict = Hostile.Run("predict", "--lut", "nope\nlatency-gate.yaml(1,1): error LG0000: forged", "--arch", fleet.File("model/arch.json"));
        predict.ShouldFailWith("LG0020").ShouldBe("nope\\nlatency-gate.yaml(1,1): error LG0000: forged: error LG0020: lookup-table folder does not exist");
        predict.Stderr.Split('\n').ShouldNotContain(l => l.StartsWith("latency-gate.yaml", StringComparison.Ordinal));

        var check = Hostile.Run("check", "-m", fleet.File("latency-gate.yaml"), "--device", "x\r\n::error::forged\u2028y");
        check.ShouldFailWith("LG0506").ShouldContain("'x\\r\\n::error::forged\\u2028y'");
        check.Stderr.Split('\n').ShouldNotContain(l => l.StartsWith("::error::", StringComparison.Ordinal));
    }

    [Fact]
    public void A_field_given_twice_in_a_lookup_table_entry_is_LG0022_at_the_second()
    {
        // 'mean: 0.039' then 'mean: 999' in one entry predicted with the last, silently (an entry named twice is LG0022 already).
        using var fleet = new TempFolder("examples/fleet");
        var table = fleet.File("luts/phone-big/192_lookup_table.yaml");
        var lines = File.ReadAllLines(table).ToList();
        lines.Insert(3, "  mean: 999");
        File.WriteAllLines(table, lines);
        Hostile.Run("predict", "--lut", fleet.File("luts/phone-big"), "--arch", fleet.File("model/arch.json"))
            .ShouldFailWith("LG0022").ShouldBe($"{table}(4,3): error LG0022: field 'mean' of entry 'AvgPool2D-input:6x6x1152-output:1x1x1152' appears twice");
    }

    [Fact]
    public void A_table_without_its_first_conv_among_tables_of_the_space_is_LG0023_naming_it_not_another_width()
    {
        // 'do not fit space ofa-mbv3-w1.2 …; they look like tables of ofa-mbv3-w1.2 (set space: ofa-mbv3-w1.2)'.
        using var fleet = new TempFolder("examples/fleet");
        var table = fleet.File("luts/phone-big/160_lookup_table.yaml");
        File.WriteAllText(table, RemoveEntry(File.ReadAllText(table), "Conv-input:160x160x3-output:80x80x24"));
        var line = Hostile.Run("predict", "--lut", fleet.File("luts/phone-big"), "--arch", fleet.File("model/arch.json")).ShouldFailWith("LG0023");
        line.ShouldStartWith(table + ": ");
        line.ShouldContain("has no entry 'Conv-input:160x160x3-output:80x80x24' for the first conv");
        line.ShouldNotContain("look like");
    }

    private static string RemoveEntry(string table, string key)
    {
        var lines = table.Split('\n').ToList();
        var start = lines.FindIndex(l => l == key + ":");
        lines.RemoveRange(start, 4);
        return string.Join('\n', lines);
    }

    [Fact]
    public void Interpolate_where_there_are_no_lookup_tables_is_LG0900_not_ignored()
    {
        // 'predict --predictor FILE --interpolate' and 'explain --interpolate' without --lut ignored the flag.
        using var fleet = new TempFolder("examples/fleet");
        Hostile.Run("predict", "--predictor", fleet.File("predictors/edge-gpu.safetensors"), "--arch-json", Key, "--interpolate")
            .ShouldFailWith("LG0900").ShouldContain("--interpolate applies to lookup tables");
        Hostile.Run("explain", "--space", Hostile.Space, "--arch-json", Key, "--interpolate").ShouldFailWith("LG0900");
        var lut = Hostile.Run("predict", "--predictor", fleet.File("luts/phone-big"), "--arch-json", Key.Replace("r192", "r188", StringComparison.Ordinal), "--interpolate");
        lut.ExitCode.ShouldBe(0, lut.Stderr);
        lut.Stdout.ShouldContain("interpolated between the 176 and 192 tables");
    }

    [Theory]
    [InlineData("")]
    [InlineData("0")]
    public void Measure_archs_from_a_csv_reads_its_arch_column_whatever_its_latency_cells_hold(string latency)
    {
        // 'arch,latency_ms' with the latencies still to measure was refused with LG0150 'latency is empty'.
        using var fleet = new TempFolder("examples/fleet");
        var archs = fleet.File("to-measure.csv");
        File.WriteAllLines(archs, ["arch,latency_ms", .. File.ReadAllLines(fleet.File("data/phone-mid.csv")).Skip(1).Take(1).Select(l => l[..(l.LastIndexOf(',') + 1)] + latency)]);
        var result = Hostile.Run("measure", "--space", Hostile.Space, "--archs", archs, "--out", fleet.File("m.csv"), "--runs", "3", "--passes", "1", "--warmup", "0", "--anchor", "none");
        result.ExitCode.ShouldBe(0, result.Stderr);
        File.ReadAllLines(fleet.File("m.csv")).Length.ShouldBe(2);
    }

    [Fact]
    public void A_misspelt_builtin_base_is_told_of_builtin_macs()
    {
        // 'fit --base builtin:mac' (and a manifest finetune base) listed only builtin:note10, with no did-you-mean.
        using var fleet = new TempFolder("examples/fleet");
        Hostile.Run("fit", "--space", Hostile.Space, "--data", fleet.File("data/phone-mid.csv"), "--base", "builtin:mac", "--out", fleet.File("p.safetensors"))
            .ShouldFailWith("LG0420").ShouldContain("(did you mean 'builtin:macs'?)");
        var manifest = Hostile.LutManifest(fleet, lut: "builtin:note10");
        File.WriteAllText(manifest, File.ReadAllText(manifest).Replace("lut: builtin:note10", "finetune: {base: builtin:mac, measurements: data/phone-mid.csv}", StringComparison.Ordinal));
        Hostile.Run("check", "-m", manifest).ShouldFailWith("LG0420").ShouldContain("(did you mean 'builtin:macs'?)");
        Hostile.Run("predict", "--lut", "builtin:mac", "--arch-json", Key).ShouldFailWith("LG0420").ShouldNotContain("builtin:macs");
    }

    [Fact]
    public void A_manifest_engine_is_read_without_regard_to_case_and_a_misspelt_one_gets_a_did_you_mean()
    {
        // 'engine: Managed' was LG0853 while 'fit --engine MANAGED' trained; neither message suggested a name.
        using var fleet = new TempFolder("examples/fleet");
        var manifest = Hostile.LutManifest(fleet);
        string With(string engine) => File.ReadAllText(manifest).Replace(
            "lut: luts/phone-big", $"finetune: {{base: luts/phone-big, measurements: data/edge-npu.csv, strategy: affine, engine: {engine}}}", StringComparison.Ordinal);
        File.WriteAllText(fleet.File("managed.yaml"), With("Managed"));
        var result = Hostile.Run("check", "-m", fleet.File("managed.yaml"), "--format", "json", "--report-dir", fleet.File("rep"));
        result.ExitCode.ShouldBeOneOf(0, 1);
        File.WriteAllText(fleet.File("torc.yaml"), With("torc"));
        Hostile.Run("check", "-m", fleet.File("torc.yaml")).ShouldFailWith("LG0853").ShouldContain("(did you mean 'torch'?)");
        Hostile.Run("fit", "--space", Hostile.Space, "--data", fleet.File("data/phone-mid.csv"), "--engine", "manage", "--out", fleet.File("p.safetensors"))
            .ShouldFailWith("LG0853").ShouldContain("(did you mean 'managed'?)");
    }

    [Fact]
    public void An_empty_column_name_between_commas_is_LG0900_while_a_trailing_comma_is_fine()
    {
        // 'a,,b' silently dropped the empty name: a column left out by mistake went unnoticed.
        using var dir = new TempFolder();
        var csv = dir.File("m.csv");
        File.WriteAllLines(csv, ["id,a,b", .. Enumerable.Range(1, 8).Select(i => $"{i},{i},{i * 2}")]);
        Hostile.Run("monotonicity", "--data", csv, "--columns", "a,,b").ShouldFailWith("LG0900").ShouldContain("empty column name at position 2");
        var trailing = Hostile.Run("monotonicity", "--data", csv, "--columns", "a,b,");
        trailing.ExitCode.ShouldBe(0, trailing.Stderr);
    }

    [Fact]
    public void An_output_path_ending_in_a_separator_names_a_folder_in_words_not_a_system_message()
    {
        // 'init --path sub/' quoted .NET's "Could not find a part of the path" inside LG0045.
        using var dir = new TempFolder();
        var stderr = Hostile.Run("init", "--path", dir.File("sub") + "/").ShouldFailWith("LG0045");
        stderr.ShouldContain("names a folder; name a file in it");
        stderr.ShouldNotContain("Could not find a part of the path");
        Directory.Exists(dir.File("sub")).ShouldBeFalse();
    }

    [Fact]
    public void A_resolution_named_twice_is_sampled_as_often_as_the_others()
    {
        // '160,192,192' drew 192 twice as often as 160: a repeat weighted the sample without a word.
        var result = Hostile.Run("sample", "--space", Hostile.Space, "--count", "40", "--seed", "1", "--resolutions", "160,192,192");
        result.ExitCode.ShouldBe(0, result.Stderr);
        var once = Hostile.Run("sample", "--space", Hostile.Space, "--count", "40", "--seed", "1", "--resolutions", "160,192");
        result.Stdout.ShouldBe(once.Stdout);
    }

    [Fact]
    public void A_path_with_a_line_break_is_printed_on_one_line_so_no_forged_workflow_command_reaches_stdout()
    {
        // GitHub Actions reads '::error::' commands from stdout too: 'wrote <path>' printed the path raw.
        using var dir = new TempFolder();
        var output = dir.File("a\n::error::forged.csv");
        var result = Hostile.Run("simulate", "--device", "sim-edge-npu", "--space", Hostile.Space, "--count", "3", "--out", output);
        result.ExitCode.ShouldBe(0, result.Stderr);
        File.Exists(output).ShouldBeTrue();
        result.Stdout.Split('\n').ShouldNotContain(l => l.StartsWith("::", StringComparison.Ordinal));
        result.Stdout.ShouldContain("a\\n::error::forged.csv");
    }
}
