using System.Text.Json;
using System.Text.RegularExpressions;
using Shouldly;
using Xunit;

namespace LatencyGate.Tests;

/// <summary>The gate end to end through the CLI, on the bundled example fleet (synthetic data, no reference data needed).</summary>
public sealed class GateCommandTests
{
    [Fact]
    public void The_example_fleet_passes_and_writes_valid_reports()
    {
        using var fleet = new TempFolder("examples/fleet");
        var (code, stdout, stderr) = CliRunner.Run("check", "--manifest", fleet.File("latency-gate.yaml"));

        code.ShouldBe(0, stderr);
        Regex.Matches(stdout, @"^PASS ", RegexOptions.Multiline).Count.ShouldBe(5, stdout);
        stdout.ShouldContain("latency gate: pass");
        stderr.ShouldNotContain("error LG");
        var reports = fleet.File("latency-gate-reports");
        ReportSchemas.ValidateJUnit(File.ReadAllText(Path.Combine(reports, "latency-gate.junit.xml"))).ShouldBeEmpty();
        ReportSchemas.ValidateSarif(File.ReadAllText(Path.Combine(reports, "latency-gate.sarif"))).ShouldBeEmpty();
        File.ReadAllText(Path.Combine(reports, "latency-gate.md")).ShouldContain("phone-mid");
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(reports, "latency-gate.json")));
        json.RootElement.GetProperty("schema_version").GetInt32().ShouldBeGreaterThan(0);
        var devices = json.RootElement.GetProperty("devices").EnumerateArray().ToArray();
        devices.Length.ShouldBe(5);
        var phoneMid = devices.Single(d => d.GetProperty("name").GetString() == "phone-mid");
        phoneMid.GetProperty("notes").EnumerateArray().Select(n => n.GetString()).ShouldContain(n => n!.Contains("proxy 'phone-big': SRCC", StringComparison.Ordinal));
    }

    [Fact]
    public void Over_budget_fails_with_the_device_the_figures_and_the_manifest_position()
    {
        using var fleet = new TempFolder("examples/fleet");
        var manifest = fleet.File("latency-gate.over-budget.yaml");
        var (code, stdout, stderr) = CliRunner.Run("check", "--manifest", manifest, "--report-dir", fleet.File("out"));

        code.ShouldBe(1, stderr);
        var error = stderr.Split('\n').Where(l => l.Contains("error LG", StringComparison.Ordinal)).ShouldHaveSingleItem();
        error.ShouldStartWith(manifest + "(25,16): error LG0500: device 'phone-mid': gated latency ");
        error.ShouldMatch(@"gated latency (\d+\.\d\d) ms \(upper end of the 90% interval \d+\.\d\d–\1 ms, conformal; predicted \d+\.\d\d ms\) is over its budget of 18\.00 ms");
        stdout.ShouldContain("FAIL  phone-mid");
        stderr.ShouldNotContain("   at ");

        ReportSchemas.ValidateJUnit(File.ReadAllText(fleet.File("out/latency-gate.junit.xml"))).ShouldBeEmpty();
        File.ReadAllText(fleet.File("out/latency-gate.junit.xml")).ShouldContain("<failure");
        var sarif = File.ReadAllText(fleet.File("out/latency-gate.sarif"));
        ReportSchemas.ValidateSarif(sarif).ShouldBeEmpty();
        using var doc = JsonDocument.Parse(sarif);
        var result = doc.RootElement.GetProperty("runs")[0].GetProperty("results").EnumerateArray().Where(r => r.GetProperty("level").GetString() == "error").ShouldHaveSingleItem();
        result.GetProperty("ruleId").GetString().ShouldBe("LG0500");
        result.GetProperty("locations")[0].GetProperty("physicalLocation").GetProperty("region").GetProperty("startLine").GetInt32().ShouldBe(25);
    }

    [Fact]
    public void Five_mistakes_are_all_reported_with_positions_and_exit_code_2()
    {
        using var folder = new TempFolder("examples/fleet");
        var text = File.ReadAllText(folder.File("latency-gate.yaml"))
            .Replace("space: ofa-mbv3-w1.2", "space: ofa-mbv3-w9", StringComparison.Ordinal)                       // unknown space
            .Replace("budget_ms: 14", "budget_ms: -14", StringComparison.Ordinal)                                 // budget ≤ 0
            .Replace("  confidence: 0.9 ", "  confidence: 1.5 ", StringComparison.Ordinal)                        // confidence outside (0,1)
            .Replace("strategy: auto", "strategy: magic", StringComparison.Ordinal)                               // unknown strategy
            .Replace("file: predictors/edge-gpu.safetensors", "file: predictors/missing.safetensors", StringComparison.Ordinal) // missing file
            .Replace("  batch_size: 1", "  batchsize: 1", StringComparison.Ordinal);                             // unknown key (did you mean)
        File.WriteAllText(folder.File("broken.yaml"), text);

        var (code, _, stderr) = CliRunner.Run("check", "--manifest", folder.File("broken.yaml"));

        code.ShouldBe(2);
        var errors = stderr.Split('\n').Where(l => l.Contains(": error LG", StringComparison.Ordinal)).ToArray();
        errors.Length.ShouldBeGreaterThanOrEqualTo(6, stderr);
        errors.ShouldAllBe(l => Regex.IsMatch(l, @"broken\.yaml\(\d+,\d+\): error LG04\d\d: "));
        stderr.ShouldContain("batch_size");
        stderr.ShouldNotContain("   at ");
    }

    [Fact]
    public void GitHub_actions_get_annotations_and_a_step_summary()
    {
        using var fleet = new TempFolder("examples/fleet");
        var summary = fleet.File("step-summary.md");
        var env = new Dictionary<string, string> { ["GITHUB_ACTIONS"] = "true", ["GITHUB_STEP_SUMMARY"] = summary, ["CI"] = "true" };
        var (code, stdout, _) = CliRunner.RunWithEnvironment(env, "check", "--manifest", fleet.File("latency-gate.over-budget.yaml"));

        code.ShouldBe(1);
        stdout.ShouldContain("::error file=");
        stdout.ShouldContain("line=25");
        File.ReadAllText(summary).ShouldContain("phone-mid");
    }

    [Fact]
    public void An_unknown_device_is_a_usage_error()
    {
        using var fleet = new TempFolder("examples/fleet");
        CliRunner.Run("check", "--manifest", fleet.File("latency-gate.yaml"), "--device", "toaster").ExpectSingleError("LG0506");
    }

    [Fact]
    public void Search_mode_runs_once_on_the_proxy_and_re_ranks_its_front_on_the_target()
    {
        using var fleet = new TempFolder("examples/fleet");
        var text = File.ReadAllText(fleet.File("latency-gate.yaml"))
            .Replace("model:\n  arch: model/arch.json\n", "search:\n  mode: per-device\n  population: 40\n  generations: 30\n", StringComparison.Ordinal);
        File.WriteAllText(fleet.File("search.yaml"), text);

        var (code, stdout, stderr) = CliRunner.Run("check", "--manifest", fleet.File("search.yaml"), "--report-dir", fleet.File("out"));

        code.ShouldBe(0, stderr + stdout);
        using var json = JsonDocument.Parse(File.ReadAllText(fleet.File("out/latency-gate.json")));
        json.RootElement.GetProperty("mode").GetString()!.ShouldContain("search");
        var phoneMid = json.RootElement.GetProperty("devices").EnumerateArray().Single(d => d.GetProperty("name").GetString() == "phone-mid");
        var notes = phoneMid.GetProperty("notes").EnumerateArray().Select(n => n.GetString()!).ToArray();
        notes.ShouldContain(n => n.StartsWith("searched once on proxy 'phone-big'", StringComparison.Ordinal));
        notes.ShouldContain(n => Regex.IsMatch(n, @"^proxy 'phone-big': SRCC 0\.\d{3} \(95% CI 0\.\d{3}–[01]\.\d{3}\)"));
        phoneMid.GetProperty("verdict").GetString().ShouldBe("pass");
        var upper = phoneMid.GetProperty("upper_ms").GetDouble();
        upper.ShouldBeLessThanOrEqualTo(24.0 * 0.9 + 1e-9); // within the budget less its 10 % warn margin
    }
}
