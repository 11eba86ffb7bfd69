using System.Globalization;
using System.Text.Json;
using LatencyGate.Adaptation;
using LatencyGate.Measurements;
using LatencyGate.Spaces;
using Shouldly;
using Xunit;

namespace LatencyGate.Tests;

/// <summary>
/// <c>calibration_confidence</c> end to end: a device calibrated on 20 measurements, gated at 0.95
/// on the upper bound. Under the with-confidence promise its bound is wider than under the marginal
/// one (20 scores are too few to hold 0.95 coverage with confidence 0.9 from order statistics, so the
/// report says the bound is extrapolated), the point prediction is the same, and the report names
/// the promise.
/// </summary>
public sealed class CalibrationConfidenceCheckTests : IDisposable
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("lg-calconf-");

    public void Dispose() => _dir.Delete(recursive: true);

    [Fact]
    public void With_confidence_promise_widens_the_gated_bound_of_a_few_measurement_calibration()
    {
        string P(string name) => Path.Combine(_dir.FullName, name);
        foreach (var (device, count, seed, file) in new[] { ("sim-phone-big-core", 150, 1, "base.csv"), ("sim-phone-mid", 20, 2, "phone.csv") })
        {
            var sim = CliRunner.Run("simulate", "--device", device, "--space", "ofa-mbv3-w1.2", "--count", count.ToString(CultureInfo.InvariantCulture), "--seed", seed.ToString(CultureInfo.InvariantCulture), "--out", P(file));
            sim.ExitCode.ShouldBe(0, sim.Stderr);
        }

        var measured = MeasurementsCsv.Read(P("base.csv"), OfaSpace.W12);
        LearnedLut.Fit(OfaSpace.W12, measured.Items.Select(m => new LatencyShot(m.Arch, m.LatencyMs)).ToArray(), "sim-phone-big-core").Export(P("base-lut"));
        File.WriteAllText(P("model.arch.json"), """{"ks": [5, 3, 3, 3, 5, 3, 3, 3, 7, 7, 3, 3, 5, 5, 7, 3, 3, 3, 5, 3], "e": [3, 3, 3, 3, 4, 4, 3, 3, 6, 3, 4, 3, 4, 4, 4, 3, 6, 6, 6, 3], "d": [2, 2, 3, 4, 3], "image_size": 192}""");

        var marginal = Check(P, string.Empty);
        var promised = Check(P, "calibration_confidence: 0.9");

        promised.Latency.ShouldBe(marginal.Latency);
        promised.Upper.ShouldBeGreaterThan(marginal.Upper);
        promised.Predictor.ShouldContain("with confidence 0.9");
        marginal.Predictor.ShouldNotContain("with confidence");
        promised.Notes.ShouldContain(n => n.Contains("too few to hold 0.95 coverage with confidence 0.9", StringComparison.Ordinal) && n.Contains("at least 45", StringComparison.Ordinal));
        marginal.Notes.ShouldNotContain(n => n.Contains("too few", StringComparison.Ordinal), "20 scores keep the marginal promise at 0.95");
    }

    private static Gated Check(Func<string, string> p, string promise)
    {
        File.WriteAllText(p("latency-gate.yaml"), $"""
            version: 1
            space: ofa-mbv3-w1.2
            model:
              arch: model.arch.json
            defaults:
              confidence: 0.95
              {promise}
            devices:
              - name: phone
                budget_ms: 1000
                predictor:
                  calibrate: {"{"}base: base-lut, measurements: phone.csv{"}"}
            """);
        var reports = p("reports");
        var (code, _, stderr) = CliRunner.Run("check", "--manifest", p("latency-gate.yaml"), "--report-dir", reports);
        code.ShouldBe(0, stderr);
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(reports, "latency-gate.json")));
        var device = json.RootElement.GetProperty("devices")[0];
        return new Gated(
            device.GetProperty("latency_ms").GetDouble(),
            device.GetProperty("upper_ms").GetDouble(),
            device.GetProperty("predictor").GetString()!,
            device.GetProperty("notes").EnumerateArray().Select(n => n.GetString()!).ToArray());
    }

    private sealed record Gated(double Latency, double Upper, string Predictor, string[] Notes);
}
