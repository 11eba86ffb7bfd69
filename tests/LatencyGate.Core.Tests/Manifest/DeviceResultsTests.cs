using LatencyGate.Diagnostics;
using LatencyGate.Gating;
using LatencyGate.Predictors;
using LatencyGate.Reporting;
using Shouldly;
using Xunit;

namespace LatencyGate.Tests.Manifest;

public sealed class DeviceResultsTests : IDisposable
{
    private readonly ManifestWorkspace _ws = new();

    public void Dispose() => _ws.Dispose();

    [Fact]
    public void Over_budget_device_points_at_its_budget_line_and_names_latency_interval_and_budget()
    {
        var manifest = _ws.Load(ManifestWorkspace.ValidManifest).GetOrThrow();
        var pixel4 = manifest.FindDevice("pixel4")!; // budget 30.5, confidence 0.95, warn margin 2ms

        var result = DeviceResults.Predicted(pixel4, new LatencyEstimate(29.0, 27.9, 31.2), IntervalMethod.Conformal, "LUT");

        result.Verdict.ShouldBe(Verdict.Fail);
        result.WarnMarginMs.ShouldBe(2);
        var finding = GateFindings.For(result).ShouldHaveSingleItem();
        finding.Code.ShouldBe(GateErrors.OverBudget);
        finding.Location!.Line.ShouldBe(26);
        finding.Message.ShouldBe("device 'pixel4': gated latency 31.20 ms (upper end of the 95% interval 27.90–31.20 ms, conformal; predicted 29.00 ms) is over its budget of 30.50 ms");
    }

    [Fact]
    public void Fractional_warn_margin_and_accuracy_floor_apply()
    {
        var manifest = _ws.Load(ManifestWorkspace.ValidManifest).GetOrThrow();
        var note10 = manifest.FindDevice("note10")!; // budget 25, default confidence 0.9, margin 10%

        DeviceResults.Predicted(note10, new LatencyEstimate(21, 20, 23), IntervalMethod.Conformal, "LUT").Verdict.ShouldBe(Verdict.Warn);
        DeviceResults.Predicted(note10, new LatencyEstimate(20, 19, 22), IntervalMethod.Conformal, "LUT").Verdict.ShouldBe(Verdict.Pass);
        var low = DeviceResults.Predicted(note10, new LatencyEstimate(20, 19, 22), IntervalMethod.Conformal, "LUT", accuracy: 0.70, accuracyFloor: manifest.Search!.AccuracyFloor);
        low.Verdict.ShouldBe(Verdict.Fail);
        low.Diagnostics.ShouldHaveSingleItem().Code.ShouldBe(GateErrors.BelowAccuracyFloor);
        low.Diagnostics[0].Location!.Line.ShouldBe(15);
    }

    [Fact]
    public void No_arch_fits_and_failed_devices_map_to_exit_codes_one_and_two()
    {
        var manifest = _ws.Load(ManifestWorkspace.ValidManifest).GetOrThrow();
        var gpu = manifest.FindDevice("gpu")!;
        var noFit = DeviceResults.NoArchFits(gpu, 6.2, "MLP");
        var result = new GateResult { ManifestPath = "m.yaml", Space = "ofa-mbv3-w1.0", Mode = GateMode.SearchPerDevice, Devices = [noFit] };

        result.ExitCode.ShouldBe(LatencyGate.Diagnostics.ExitCode.GateFailed);
        GateFindings.For(result).ShouldHaveSingleItem().Message.ShouldContain("smallest latency reachable is 6.20 ms");
        (result with { Devices = [noFit, DeviceResults.Failed(gpu, [])] }).ExitCode.ShouldBe(LatencyGate.Diagnostics.ExitCode.InvalidInput);
        ReportText.Verdict(DeviceResults.Skipped(gpu).Verdict).ShouldBe("skipped");
    }
}
