using System.Globalization;
using System.Text.Json;
using LatencyGate.Measurements;
using LatencyGate.Spaces;
using Shouldly;
using Xunit;

namespace LatencyGate.Tests;

/// <summary>
/// examples/this-machine end to end at small scale (10 archs, few runs, a short search): its own
/// script, run with this build of the tool, is the seed workflow literally: <c>sample</c>,
/// <c>measure</c> with ONNX Runtime, <c>fit --base builtin:note10 --strategy auto --shots 5</c> into an
/// adapted predictor file, then <c>check</c> on a manifest whose measured device predicts with that file
/// (<c>predictor: {file: …}</c>): search under the budget, measure the pick; the reports hold the
/// prediction (the file's, exactly) and the measurement side by side.
/// </summary>
public sealed class ThisMachineExampleTests
{
    [Fact]
    public void The_example_script_runs_sample_measure_fit_base_search_and_measures_the_pick()
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
        run.Stdout.ShouldContain("5 shot(s) drawn (seed 1) from 10 measurements");
        run.Stdout.ShouldContain("auto chose");
        run.Stdout.ShouldContain("wrote out/adapted.safetensors");
        var adapted = Path.Combine(root, "out", "adapted.safetensors");
        LatencyGate.Learning.WeightFiles.SafetensorsFile.Read(adapted).Metadata["base0.lut_source"].ShouldBe("builtin:note10");

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

        // The prediction search made and the report shows is the adapted file's own for the pick.
        var predict = CliRunner.Run("predict", "--space", "ofa-mbv3-w1.2", "--predictor", adapted, "--arch-json", device.GetProperty("arch").GetRawText(), "--json");
        predict.ExitCode.ShouldBe(0, predict.Stderr);
        using (var predicted = JsonDocument.Parse(predict.Stdout))
        {
            m.GetProperty("predicted_ms").GetDouble().ShouldBe(predicted.RootElement.GetProperty("latency_ms").GetDouble(), 1e-4, "the report rounds to 4 decimals");
        }

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
