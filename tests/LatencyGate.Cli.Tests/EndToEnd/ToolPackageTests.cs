using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Shouldly;
using Xunit;

namespace LatencyGate.Tests.EndToEnd;

/// <summary>
/// The tool package as a user meets it: packed, installed with <c>dotnet tool install --tool-path</c>,
/// and run as <c>dotnet-latency-gate check</c> on a copy of examples/fleet.
/// </summary>
[Trait("Category", "EndToEnd")]
public sealed partial class ToolPackageTests(ToolPackageFixture fixture) : IClassFixture<ToolPackageFixture>
{
    private static readonly string[] FleetDevices = ["phone-big", "phone-mid", "edge-npu", "edge-gpu", "server-gpu"];

    [Fact]
    public void The_installed_tool_passes_the_example_fleet_cold_and_warm()
    {
        var fleet = fixture.CopyFleet("in-budget");
        var manifest = Path.Combine(fleet, "latency-gate.yaml");

        var cold = fixture.RunTool(fleet, "check", "--manifest", manifest);

        cold.ExitCode.ShouldBe(0, cold.ToString());
        var verdicts = VerdictLines(cold);
        verdicts.Select(v => v.Device).ShouldBe(FleetDevices, ignoreOrder: true, cold.ToString());
        verdicts.ShouldAllBe(v => v.Verdict == "PASS", cold.ToString());
        cold.Stderr.ShouldNotContain(" error ", Case.Sensitive, cold.ToString());
        cold.Stderr.ShouldNotContain("   at ", Case.Sensitive, "no stack trace");
        foreach (var report in new[] { "latency-gate.json", "latency-gate.junit.xml", "latency-gate.md", "latency-gate.sarif" })
        {
            var path = Path.Combine(fleet, "latency-gate-reports", report);
            File.Exists(path).ShouldBeTrue(path + " beside the copied manifest\n" + cold);
            cold.Stdout.ShouldContain(path);
        }

        // The two adapted predictors (phone-mid's proxy, edge-npu's finetune) are cached beside the
        // manifest; a second run in the same folder reads them and changes no verdict or figure.
        var cache = Path.Combine(fleet, ".latency-gate", "cache");
        Directory.Exists(cache).ShouldBeTrue(cache + "\n" + cold);
        Directory.EnumerateFiles(cache, "*.lgc").Count().ShouldBe(2, "one entry per adapted predictor");
        var warm = fixture.RunTool(fleet, "check", "--manifest", manifest);
        warm.ExitCode.ShouldBe(0, warm.ToString());
        VerdictLines(warm).Select(v => v.Line).ShouldBe(verdicts.Select(v => v.Line), warm.ToString());
    }

    [Fact]
    public void The_installed_tool_fails_the_over_budget_fleet_with_LG0500_at_the_budget_line()
    {
        var fleet = fixture.CopyFleet("over-budget");
        var manifest = Path.Combine(fleet, "latency-gate.over-budget.yaml");
        var lines = File.ReadAllLines(manifest);
        var budgetIndex = Array.FindIndex(lines, l => l.TrimStart().StartsWith("budget_ms: 18", StringComparison.Ordinal));
        budgetIndex.ShouldBeGreaterThan(0, "the over-budget manifest sets phone-mid's budget to 18 ms");
        var budgetColumn = lines[budgetIndex].IndexOf("18", StringComparison.Ordinal) + 1;

        var result = fixture.RunTool(fleet, "check", "--manifest", manifest);

        result.ExitCode.ShouldBe(1, result.ToString());
        var errors = result.Stderr.Split('\n').Where(l => l.Contains(": error ", StringComparison.Ordinal)).ToList();
        var error = errors.ShouldHaveSingleItem(result.ToString());
        var match = BudgetError().Match(error);
        match.Success.ShouldBeTrue($"'{error}' is not the canonical LG0500 line\n{result}");
        match.Groups["file"].Value.ShouldBe(manifest);
        match.Groups["line"].Value.ShouldBe((budgetIndex + 1).ToString(CultureInfo.InvariantCulture));
        match.Groups["col"].Value.ShouldBe(budgetColumn.ToString(CultureInfo.InvariantCulture));
        match.Groups["device"].Value.ShouldBe("phone-mid");
        match.Groups["budget"].Value.ShouldBe("18.00");
        var predicted = Number(match, "predicted");
        var lower = Number(match, "lower");
        var upper = Number(match, "upper");
        lower.ShouldBeLessThanOrEqualTo(predicted);
        upper.ShouldBeGreaterThanOrEqualTo(predicted);
        upper.ShouldBeGreaterThan(18.0, "the upper bound is gated, and it broke the budget");

        var verdicts = VerdictLines(result);
        verdicts.Select(v => v.Device).ShouldBe(FleetDevices, ignoreOrder: true, result.ToString());
        var failed = verdicts.Where(v => v.Verdict == "FAIL").ShouldHaveSingleItem(result.ToString());
        failed.Device.ShouldBe("phone-mid");
        failed.Line.ShouldContain(string.Create(CultureInfo.InvariantCulture, $"gated latency {upper:0.00} ms"));
        Number(match, "gated").ShouldBe(upper, "the gated latency is the interval's upper end, named the same in the table and the error");

        // The JSON report tells the same story as the console.
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(fleet, "latency-gate-reports", "latency-gate.json")));
        json.RootElement.GetProperty("verdict").GetString().ShouldBe("fail");
        json.RootElement.GetProperty("exit_code").GetInt32().ShouldBe(1);
        var device = json.RootElement.GetProperty("devices").EnumerateArray().Single(d => d.GetProperty("name").GetString() == "phone-mid");
        device.GetProperty("verdict").GetString().ShouldBe("fail");
        device.GetProperty("budget_ms").GetDouble().ShouldBe(18.0);
        device.GetProperty("latency_ms").GetDouble().ShouldBe(predicted, 0.005);
        device.GetProperty("upper_ms").GetDouble().ShouldBe(upper, 0.005);
        device.GetProperty("location").GetProperty("line").GetInt32().ShouldBe(budgetIndex + 1);
    }

    private static double Number(Match match, string group) =>
        double.Parse(match.Groups[group].Value, NumberStyles.Float, CultureInfo.InvariantCulture);

    private static List<(string Verdict, string Device, string Line)> VerdictLines(ProcessResult result) =>
        [.. result.Stdout.Split('\n')
            .Select(l => VerdictLine().Match(l))
            .Where(m => m.Success)
            .Select(m => (m.Groups["verdict"].Value, m.Groups["device"].Value, m.Value))];

    [GeneratedRegex(@"^(?<verdict>PASS|WARN|FAIL|ERROR)\s+(?<device>[\w.-]+): .*$")]
    private static partial Regex VerdictLine();

    [GeneratedRegex(@"^(?<file>.+)\((?<line>\d+),(?<col>\d+)\): error LG0500: device '(?<device>[^']+)': gated latency (?<gated>[\d.]+) ms \(upper end of the 90% interval (?<lower>[\d.]+)–(?<upper>[\d.]+) ms, [^;)]*; predicted (?<predicted>[\d.]+) ms\) is over its budget of (?<budget>[\d.]+) ms$")]
    private static partial Regex BudgetError();
}
