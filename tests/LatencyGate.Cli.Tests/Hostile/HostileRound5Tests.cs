using Shouldly;
using Xunit;

namespace LatencyGate.Tests.Hostile;

/// <summary>Issue 18, round 5: what its sweep found that runs in process (the process-level classes are in <see cref="HostileProcessTests"/>).</summary>
public sealed class HostileRound5Tests
{
    [Theory]
    [InlineData("arch,latency_ms,latency_ms", "latency_ms")]
    [InlineData("arch,arch,latency_ms", "arch")]
    public void A_column_the_reader_takes_named_twice_is_LG0861_at_the_header(string header, string column)
    {
        using var fleet = new TempFolder("examples/fleet");
        var rows = File.ReadAllLines(fleet.File("data/phone-mid.csv")).Skip(1).Take(20)
            .Select(r => header.StartsWith("arch,arch", StringComparison.Ordinal) ? r[..r.LastIndexOf(',')] + "," + r : r + ",1");
        var csv = fleet.File("twice.csv");
        File.WriteAllLines(csv, [header, .. rows]);

        foreach (var args in new[]
        {
            new[] { "evaluate", "--predictor", fleet.File("predictors/edge-gpu.safetensors"), "--data", csv },
            ["fit", "--space", Hostile.Space, "--data", csv, "--out", fleet.File("o.safetensors")],
        })
        {
            var line = Hostile.Run(args).ShouldFailWith("LG0861");
            line.ShouldStartWith($"{csv}(1,1): error LG0861: the header names the column '{column}' 2 times");
        }

        File.Exists(fleet.File("o.safetensors")).ShouldBeFalse();
    }

    [Theory]
    [InlineData("--out")]
    [InlineData("--lut-out")]
    public void A_NUL_in_an_argument_is_LG0900_not_an_internal_error(string option)
    {
        // Found by HostileInputProperty with a new seed: System.CommandLine threw converting "dir/\0" to a FileInfo.
        using var dir = new TempFolder();
        var result = CliRunner.Run("simulate", "--device", "sim-phone-mid", "--space", Hostile.Space, "--count", "2", option, Path.Combine(dir.Path, "\0"));
        result.ExitCode.ShouldBe(2);
        result.Stderr.ShouldContain("error LG0900: argument 9");
        result.Stderr.ShouldContain("holds a NUL character");
        result.Stderr.ShouldNotContain("   at ");
        Directory.EnumerateFileSystemEntries(dir.Path).ShouldBeEmpty();
    }

    [Theory]
    [InlineData("sample", ",")]
    [InlineData("sample", " , ,")]
    [InlineData("simulate", ",")]
    public void A_resolution_list_naming_none_is_LG0903_not_an_internal_error(string command, string list)
    {
        // Found by HostileInputProperty with a new seed: 'sample --resolutions ,' was an internal error (an empty list).
        using var dir = new TempFolder();
        var result = command == "sample"
            ? CliRunner.Run("sample", "--space", Hostile.Space, "--count", "2", "--resolutions", list)
            : CliRunner.Run("simulate", "--device", "sim-phone-mid", "--space", Hostile.Space, "--count", "2", "--lut-out", Path.Combine(dir.Path, "lut"), "--lut-resolutions", list);
        result.ExitCode.ShouldBe(2);
        result.Stderr.ShouldContain(command == "sample" ? "error LG0903: --resolutions:" : "error LG0903: --lut-resolutions:");
        result.Stderr.ShouldContain("names no resolution");
        result.Stderr.ShouldNotContain("LG0999");
    }

    [Fact]
    public void Unused_columns_may_repeat()
    {
        using var fleet = new TempFolder("examples/fleet");
        var lines = File.ReadAllLines(fleet.File("data/phone-mid.csv"));
        var csv = fleet.File("notes.csv");
        File.WriteAllLines(csv, [lines[0] + ",note,note", .. lines.Skip(1).Select(l => l + ",a,b")]);
        Hostile.Run("evaluate", "--predictor", fleet.File("predictors/edge-gpu.safetensors"), "--data", csv).ExitCode.ShouldBe(0);
    }

    [Fact]
    public void Two_lookup_tables_pasted_into_one_file_are_LG0022_not_the_first_alone()
    {
        using var fleet = new TempFolder("examples/fleet");
        var table = fleet.File("luts/phone-big/192_lookup_table.yaml");
        var text = File.ReadAllText(table);
        File.WriteAllText(table, text + "---\n" + text.Replace("mean: ", "mean: 1", StringComparison.Ordinal));
        var line = Hostile.Run("predict", "--space", Hostile.Space, "--lut", fleet.File("luts/phone-big"), "--arch", fleet.File("model/arch.json")).ShouldFailWith("LG0022");
        line.ShouldContain("holds one YAML document; found a second one");
        line.ShouldStartWith($"{table}(");
    }

    [Fact]
    public void A_second_measure_into_the_same_out_is_LG0862_while_the_first_runs()
    {
        using var folder = new TempFolder();
        var archs = folder.File("archs.jsonl");
        File.WriteAllText(archs, Hostile.Run("sample", "--space", Hostile.Space, "--count", "1", "--seed", "3").Stdout);
        var output = folder.File("m.csv");
        string[] measure = ["measure", "--space", Hostile.Space, "--archs", archs, "--out", output, "--runs", "3", "--passes", "1", "--warmup", "0", "--anchor", "none"];

        // The lock a running measure holds (an exclusive open of the hidden file beside its output).
        using (new FileStream(folder.File(".m.csv.lock"), FileMode.Create, FileAccess.ReadWrite, FileShare.None))
        {
            Hostile.Run(measure).ShouldFailWith("LG0862").ShouldStartWith($"{output}: error LG0862: another measure run is writing these measurements now");
            File.Exists(output).ShouldBeFalse();
        }

        // A lock file left unlocked (a run killed outright) is taken over, and removed at the end.
        var done = Hostile.Run(measure);
        done.ExitCode.ShouldBe(0, done.Stderr);
        File.ReadAllLines(output).Length.ShouldBe(2);
        File.Exists(folder.File(".m.csv.lock")).ShouldBeFalse();
    }

    [Theory]
    [InlineData("")]
    [InlineData(",")]
    [InlineData(" , ")]
    public void A_format_list_naming_no_format_is_LG0521_not_a_run_without_reports(string formats)
    {
        using var fleet = new TempFolder("examples/fleet");
        var reports = fleet.File("reports");
        Hostile.Run("check", "-m", fleet.File("latency-gate.yaml"), "--device", "phone-big", "--report-dir", reports, "--format", formats)
            .ShouldFailWith("LG0521").ShouldContain("names no report format");
        Directory.Exists(reports).ShouldBeFalse();
    }
}
