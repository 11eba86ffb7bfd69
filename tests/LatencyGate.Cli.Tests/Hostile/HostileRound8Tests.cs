using System.Globalization;
using System.Text.Json;
using LatencyGate.Cli;
using Shouldly;
using Xunit;

namespace LatencyGate.Tests.Hostile;

/// <summary>Issue 18, round 8: what its sweep of signals, --json, determinism, concurrency and odd environments found.</summary>
public sealed class HostileRound8Tests
{
    private static JsonElement SingleObject(string stdout)
    {
        using var document = JsonDocument.Parse(stdout);
        document.RootElement.ValueKind.ShouldBe(JsonValueKind.Object);
        return document.RootElement.Clone();
    }

    private static void ShouldBeErrorObject((int ExitCode, string Stdout, string Stderr) result, int exitCode, string code)
    {
        result.ExitCode.ShouldBe(exitCode, result.Stderr);
        var json = SingleObject(result.Stdout);
        json.GetProperty("verdict").GetString().ShouldBe("error");
        json.GetProperty("exit_code").GetInt32().ShouldBe(exitCode);
        json.GetProperty("diagnostics").EnumerateArray().Select(d => d.GetProperty("code").GetString()).ShouldContain(code);
        result.Stderr.ShouldContain($"error {code}: ");
    }

    [Fact]
    public void Search_json_on_a_mistake_found_while_it_runs_prints_the_error_object_its_help_promises()
    {
        // search --json printed nothing at all on stdout when the mistake was thrown (no 'search'
        // section, a bad --sweep, an impossible sweep, an output folder in the way).
        using var fleet = new TempFolder("examples/fleet");
        ShouldBeErrorObject(Hostile.Run("search", "-m", fleet.File("latency-gate.yaml"), "--json", "--out", fleet.File("out")), 2, "LG0507");
        var manifest = Hostile.LutManifest(fleet, extra: "search: {population: 10, generations: 2}");
        ShouldBeErrorObject(Hostile.Run("search", "-m", manifest, "--json", "--sweep", "1:x", "--out", fleet.File("out")), 2, "LG0907");
        ShouldBeErrorObject(Hostile.Run("search", "-m", manifest, "--json", "--sweep", "1:2:2", "--out", fleet.File("out")), 1, "LG0300");
        File.WriteAllText(fleet.File("in-the-way"), "x");
        ShouldBeErrorObject(Hostile.Run("search", "-m", manifest, "--json", "--out", fleet.File("in-the-way")), 2, "LG0045");
    }

    [Fact]
    public void Json_on_any_command_prints_one_object_when_its_input_is_bad()
    {
        using var fleet = new TempFolder("examples/fleet");
        var arch = fleet.File("model/arch.json");
        ShouldBeErrorObject(Hostile.Run("check", "-m", fleet.File("latency-gate.yaml"), "--json", "--threads", "-1"), 2, "LG0902");
        ShouldBeErrorObject(Hostile.Run("predict", "--space", Hostile.Space, "--lut", fleet.File("luts/none"), "--arch", arch, "--json"), 2, "LG0020");
        ShouldBeErrorObject(Hostile.Run("explain", "--arch", arch, "--json"), 2, "LG0930");
        ShouldBeErrorObject(Hostile.Run("evaluate", "--predictor", fleet.File("predictors/edge-gpu.safetensors"), "--data", fleet.File("none.csv"), "--json"), 2, "LG0152");
        ShouldBeErrorObject(Hostile.Run("fit", "--space", Hostile.Space, "--data", fleet.File("none.csv"), "--out", fleet.File("p.safetensors"), "--json"), 2, "LG0152");
        var monotonicity = Hostile.Run("monotonicity", "--data", fleet.File("data/phone-mid.csv"), "--columns", "latency_ms,nope", "--json");
        monotonicity.ExitCode.ShouldBe(2, monotonicity.Stderr);
        SingleObject(monotonicity.Stdout).GetProperty("verdict").GetString().ShouldBe("error");
    }

    [Theory]
    [InlineData("check", "--threads", "ten")]
    [InlineData("search", "--sweep")]
    [InlineData("predict", "--bogus")]
    [InlineData("fit", "--out", "--json")]
    public void Json_on_a_usage_mistake_prints_the_error_object_too(params string[] args)
    {
        // LG0900 (a value of the wrong kind, a missing argument, an unknown option) printed nothing on stdout.
        ShouldBeErrorObject(Hostile.Run([.. args, "--json"]), 2, "LG0900");
        // A command without --json prints no object for it.
        Hostile.Run("sample", "--json").Stdout.ShouldBeEmpty();
    }

    [Fact]
    public void Json_error_object_on_a_full_stdout_is_LG0860_not_a_crash()
    {
        using var fleet = new TempFolder("examples/fleet");
        using var full = new FullDevice();
        using var stderr = new StringWriter { NewLine = "\n" };
        var host = new HostContext(StandardStreams.Stdout(full), stderr, _ => null, interactive: false);
        var code = CliApp.Run(["predict", "--space", Hostile.Space, "--lut", fleet.File("luts/none"), "--arch", fleet.File("model/arch.json"), "--json"], host);
        var result = (code, string.Empty, stderr.ToString());
        Hostile.ShouldBeClean(result, "predict --json >/dev/full");
        code.ShouldBe(2);
        result.Item3.ShouldContain("error LG0020");
        result.Item3.ShouldContain("error LG0860");
    }

    [Fact]
    public void Measure_out_through_a_symbolic_link_to_measurements_being_written_is_LG0862()
    {
        // The lock was named after the path as typed: '--out link.csv' (link.csv -> m.csv) took
        // .link.csv.lock while another run held .m.csv.lock, and both appended rows to m.csv.
        using var dir = new TempFolder();
        var measurements = dir.File("m.csv");
        var link = dir.File("link.csv");
        File.CreateSymbolicLink(link, measurements);
        var archs = dir.File("archs.jsonl");
        File.WriteAllText(archs, Hostile.Run("sample", "--space", Hostile.Space, "--count", "1").Stdout);
        // What a running `measure --out m.csv` holds.
        using (new FileStream(dir.File(".m.csv.lock"), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.DeleteOnClose))
        {
            Hostile.Run("measure", "--space", Hostile.Space, "--archs", archs, "--out", link, "--runs", "3", "--passes", "1", "--warmup", "0")
                .ShouldFailWith("LG0862");
        }

        File.Exists(measurements).ShouldBeFalse();
    }

    [Fact]
    public void Measure_out_m_while_m_csv_is_measured_is_LG0862_since_both_write_m_passes_csv()
    {
        // '--out m' and '--out m.csv' have different lock files but one journal (m.passes.csv).
        using var dir = new TempFolder();
        var archs = dir.File("archs.jsonl");
        File.WriteAllText(archs, Hostile.Run("sample", "--space", Hostile.Space, "--count", "1").Stdout);
        // What a running `measure --out m.csv` holds: the lock of its journal among them.
        using (new FileStream(dir.File(".m.passes.csv.lock"), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.DeleteOnClose))
        {
            Hostile.Run("measure", "--space", Hostile.Space, "--archs", archs, "--out", dir.File("m"), "--runs", "3", "--passes", "1", "--warmup", "0")
                .ShouldFailWith("LG0862");
        }

        File.Exists(dir.File("m")).ShouldBeFalse();
        File.Exists(dir.File(".m.lock")).ShouldBeFalse("the lock taken first is released when the second is refused");
    }

    [Fact]
    public void A_folder_where_measure_keeps_its_lock_is_LG0802_not_a_run_without_a_lock()
    {
        using var dir = new TempFolder();
        var archs = dir.File("archs.jsonl");
        File.WriteAllText(archs, Hostile.Run("sample", "--space", Hostile.Space, "--count", "1").Stdout);
        Directory.CreateDirectory(dir.File(".m.csv.lock"));

        Hostile.Run("measure", "--space", Hostile.Space, "--archs", archs, "--out", dir.File("m.csv"), "--runs", "3", "--passes", "1", "--warmup", "0")
            .ShouldFailWith("LG0802").ShouldContain("keeps its lock file");
        File.Exists(dir.File("m.csv")).ShouldBeFalse();
    }

    [Fact]
    public void Reports_and_search_lines_do_not_follow_a_host_culture_that_writes_decimal_commas()
    {
        // The MSBuild task runs in MSBuild's process, whose culture follows LANG (the CLI is
        // culture-invariant): an adapted predictor's "λ=0,001", search's "13,33 ms ≤ 13,33 ms"
        // and the HTML figures' tick labels "0,5" came out in the host's culture.
        using var fleet = new TempFolder("examples/fleet");
        var manifest = fleet.File("round8.yaml");
        File.WriteAllText(manifest, $"""
            version: 1
            space: {Hostile.Space}
            accuracy: macs
            search: {"{"}population: 10, generations: 2{"}"}
            devices:
              - name: phone-big
                budget_ms: 14
                predictor:
                  lut: luts/phone-big
              - name: edge-npu
                budget_ms: 10
                predictor:
                  finetune: {"{"}base: luts/phone-big, measurements: data/edge-npu.csv, strategy: adaproxy, shots: 30{"}"}
            """);

        (int ExitCode, string Stdout, string Stderr) Search(string output)
        {
            var result = Hostile.Run("search", "-m", manifest, "--sweep", "8:20:3", "--out", fleet.File(output), "--cache-dir", fleet.File("cache-" + output), "--threads", "1");
            result.ExitCode.ShouldBe(0, result.Stderr);
            return result;
        }

        var invariant = Search("invariant");
        var comma = (CultureInfo)CultureInfo.InvariantCulture.Clone();
        comma.NumberFormat.NumberDecimalSeparator = ",";
        comma.NumberFormat.NumberGroupSeparator = ".";
        var before = CultureInfo.CurrentCulture;
        (int ExitCode, string Stdout, string Stderr) local;
        try
        {
            CultureInfo.CurrentCulture = comma;
            local = Search("comma");
        }
        finally
        {
            CultureInfo.CurrentCulture = before;
        }

        local.Stdout.Replace("comma", "invariant", StringComparison.Ordinal).ShouldBe(invariant.Stdout);
        foreach (var file in new[] { "search.json", "archs.json", "pareto.csv", "pareto.json", "report.html" })
        {
            File.ReadAllText(fleet.File("comma/" + file)).ShouldBe(File.ReadAllText(fleet.File("invariant/" + file)), file);
        }

        File.ReadAllText(fleet.File("comma/report.html")).ShouldContain("(λ=0.");
    }

    /// <summary>Standard output on a full disk (as <c>&gt;/dev/full</c>): every write fails.</summary>
    private sealed class FullDevice : TextWriter
    {
        public override System.Text.Encoding Encoding => System.Text.Encoding.UTF8;

        public override void Write(char value) => throw new IOException("No space left on device");
    }
}
