using System.Globalization;
using System.Text.Json;
using LatencyGate.Measurements;
using LatencyGate.Spaces;
using Shouldly;
using Xunit;

namespace LatencyGate.Tests;

/// <summary>
/// examples/this-machine end to end at small scale (10 archs, few runs, a short search): its own
/// script, run with this build of the tool, samples, measures with ONNX Runtime, adapts OFA's Note10
/// tables (auto) to half of the measurements, searches under a budget and measures the pick; the
/// reports hold the prediction and the measurement side by side.
/// </summary>
public sealed class ThisMachineExampleTests
{
    [Fact]
    public void The_example_script_runs_sample_measure_adapt_search_and_measures_the_pick()
    {
        using var dir = new TempFolder();
        var root = dir.File("this-machine");
        ExampleCopy.Copy(Path.Combine(ReferenceData.RepositoryRoot, "examples", "this-machine"), root);
        var environment = new Dictionary<string, string>
        {
            ["LG"] = $"dotnet {typeof(Cli.CliApp).Assembly.Location}",
            ["RUNS"] = "3",
            ["PASSES"] = "2",
            ["CHECK_RUNS"] = "5",
            ["CHECK_PASSES"] = "2",
            ["GENERATIONS"] = "10",
        };
        // A budget no pick can miss by noise alone would hide nothing; 1000 ms keeps the verdict a pass on any machine.
        var run = ChildProcess.Run("sh", root, ["run.sh", "10", "1000"], environment, TimeSpan.FromMinutes(5));
        run.ExitCode.ShouldBe(0, run.ToString());
        run.Stdout.ShouldContain("10 archs in out/this-machine.csv");
        run.Stdout.ShouldContain("measured/predicted");

        var measured = MeasurementsCsv.Read(Path.Combine(root, "out", "this-machine.csv"), OfaSpace.W12);
        measured.Items.Count.ShouldBe(10);
        measured.Machines.Count.ShouldBe(1);

        using var report = JsonDocument.Parse(File.ReadAllText(Path.Combine(root, "out", "report", "latency-gate.json")));
        var device = report.RootElement.GetProperty("devices")[0];
        device.GetProperty("verdict").GetString().ShouldBe("pass");
        var m = device.GetProperty("measured");
        m.GetProperty("runtime").GetString().ShouldBe("onnxruntime");
        m.GetProperty("latency_ms").GetDouble().ShouldBeGreaterThan(0);
        m.GetProperty("predicted_ms").GetDouble().ShouldBeGreaterThan(0);
        m.GetProperty("predicted_by").GetString()!.ShouldContain("builtin:note10");
        device.GetProperty("notes").EnumerateArray().Select(n => n.GetString()).ShouldContain(n => n!.StartsWith("auto chose", StringComparison.Ordinal));
        device.GetProperty("notes").EnumerateArray().Select(n => n.GetString()).ShouldContain(n => n!.StartsWith("5 shot(s) drawn", StringComparison.Ordinal));

        var html = File.ReadAllText(Path.Combine(root, "out", "report", "latency-gate.html"));
        // The device figure draws both (its text rounds to 0.01 ms; the JSON report to 0.0001 ms).
        Drawn(html, "measured").ShouldBe(m.GetProperty("latency_ms").GetDouble(), 0.006);
        Drawn(html, "predicted").ShouldBe(m.GetProperty("predicted_ms").GetDouble(), 0.006);
    }

    private static double Drawn(string html, string what)
    {
        var match = System.Text.RegularExpressions.Regex.Match(html, what + @" (\d+\.\d\d) ms, interval");
        match.Success.ShouldBeTrue($"no '{what} … ms, interval' in the page");
        return double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
    }
}
