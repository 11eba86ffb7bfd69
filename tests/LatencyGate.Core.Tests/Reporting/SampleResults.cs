using LatencyGate.Diagnostics;
using LatencyGate.Gating;
using LatencyGate.Predictors;
using LatencyGate.Spaces;

namespace LatencyGate.Tests.Reporting;

/// <summary>Gate results covering every verdict, as the gate would build them from a manifest.</summary>
internal static class SampleResults
{
    public const string Manifest = "examples/fleet/latency-gate.yaml";

    public static Arch SampleArch { get; } = Arch.Create(
        [3, 5, 7, 5, 3, 5, 7, 5, 3, 5, 7, 5, 3, 5, 7, 5, 3, 5, 7, 5],
        [4, 4, 6, 3, 4, 4, 6, 3, 4, 4, 6, 3, 4, 4, 6, 3, 4, 4, 6, 3],
        [3, 3, 3, 3, 3],
        192,
        OfaSpace.W10);

    public static GateResult Mixed() => new()
    {
        ManifestPath = Manifest,
        Space = "ofa-mbv3-w1.0",
        Mode = GateMode.Check,
        ToolVersion = "0.1.0+abc123",
        StartedAt = new DateTimeOffset(2026, 11, 22, 8, 0, 0, TimeSpan.Zero),
        HostName = "ci-runner",
        TotalSeconds = 1.2345,
        Devices =
        [
            Device("note10", Verdict.Pass, 25, 2.5, new LatencyEstimate(18.25, 17.1, 19.4), 0.95, IntervalMethod.Conformal, line: 12) with
            {
                Notes = ["lookup table: 5 resolutions"],
            },
            Device("pixel4", Verdict.Warn, 30, 3, new LatencyEstimate(27.5, 26.0, 28.9), 0.9, IntervalMethod.EnsembleSpread, line: 17),
            Device("jetson|nano", Verdict.Fail, 12, 1.2, new LatencyEstimate(13.876, 12.5, 15.2), null, IntervalMethod.None, line: 23) with
            {
                BatchSize = 8,
                Notes = ["proxy note10 used: SRCC 0.93 on 20 measurements, adapted (adaproxy)", "comma, colon: and 100% in a note"],
            },
            Device("tx2", Verdict.Error, 40, 4, null, null, IntervalMethod.None, line: 30) with
            {
                Arch = null,
                Accuracy = null,
                Diagnostics = [Diagnostic.Error("LG0432", "predictor file predictors/tx2.safetensors cannot be loaded: truncated header", new SourceLocation(Manifest, 33, 15))],
            },
            Device("cpu", Verdict.Skipped, 50, 5, null, null, IntervalMethod.None, line: 36) with { Arch = null, Accuracy = null },
        ],
        Diagnostics = [Diagnostic.Warning("LG0560", "cache entry 3f2a… was corrupt and has been rebuilt")],
    };

    public static GateResult AllPass() => Mixed() with
    {
        Devices = [Mixed().Devices[0]],
        Diagnostics = [],
    };

    private static DeviceResult Device(string name, Verdict verdict, double budget, double margin, LatencyEstimate? estimate, double? confidence, IntervalMethod method, int line) => new()
    {
        Device = name,
        Verdict = verdict,
        BudgetMs = budget,
        WarnMarginMs = margin,
        Estimate = estimate,
        Confidence = confidence,
        IntervalMethod = method,
        Arch = SampleArch,
        Accuracy = 0.7912,
        AccuracySource = "OFA accuracy predictor",
        PredictorDescription = "MLP 128-400-400-400-1 (" + name + ")",
        Seconds = 0.25,
        DeviceLocation = new SourceLocation(Manifest, line, 5),
        BudgetLocation = new SourceLocation(Manifest, line + 1, 16),
    };
}
