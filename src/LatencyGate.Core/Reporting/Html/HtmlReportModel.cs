namespace LatencyGate.Reporting.Html;

/// <summary>
/// What the HTML report shows, as plain values: the gate's result (check) or a search sweep. Built in
/// the core, drawn by a renderer in its own assembly (plots need SkiaSharp's native library).
/// </summary>
internal sealed record HtmlReportModel(
    string Title,
    string Manifest,
    string Space,
    string Mode,
    string Verdict,
    string ToolVersion,
    IReadOnlyList<DeviceView> Devices)
{
    /// <summary>Search sweeps: one accuracy/latency Pareto front per device.</summary>
    public IReadOnlyList<FrontView> Fronts { get; init; } = [];

    /// <summary>What the accuracy axis is ("OFA accuracy predictor", "MACs proxy"…).</summary>
    public string? Objective { get; init; }

    /// <summary>Run-level findings and device findings, one line each, as the console prints them.</summary>
    public IReadOnlyList<string> Findings { get; init; } = [];
}

/// <summary>One device: the budget and the predicted (and, where the device is measured, the measured) latency.</summary>
internal sealed record DeviceView(string Name, string Verdict, double BudgetMs, double WarnMarginMs, int BatchSize)
{
    public double? Confidence { get; init; }

    public IntervalView? Predicted { get; init; }

    /// <summary>A measured latency on the device itself (median with its spread), when the device was measured.</summary>
    public IntervalView? Measured { get; init; }

    /// <summary>The value compared with the budget.</summary>
    public double? GatedMs { get; init; }

    public ArchView? Arch { get; init; }

    public double? Accuracy { get; init; }

    public string? AccuracySource { get; init; }

    public string Predictor { get; init; } = string.Empty;

    public IReadOnlyList<string> Notes { get; init; } = [];

    /// <summary>How good the device's predictor is on measurements it was not fitted on, when any exist.</summary>
    public QualityView? Quality { get; init; }
}

/// <summary>A latency with its interval (ms) and where the interval comes from.</summary>
internal sealed record IntervalView(double Ms, double LowerMs, double UpperMs, string Method);

/// <summary>An OFA sub-network as blocks: per stage its depth and, per active block, kernel and expand ratio.</summary>
internal sealed record ArchView(string Key, int Resolution, IReadOnlyList<StageView> Stages);

internal sealed record StageView(int Index, int Depth, IReadOnlyList<BlockView> Blocks);

internal sealed record BlockView(int Slot, int Kernel, int Expand);

/// <summary>A device's sweep: the non-dominated points, its budget and the point chosen under it (if any).</summary>
internal sealed record FrontView(string Device, double BudgetMs, IReadOnlyList<FrontPoint> Points, FrontPoint? Chosen);

/// <summary>A point of a front: the gated latency (upper bound when a confidence applies) and accuracy.</summary>
internal sealed record FrontPoint(double LatencyMs, double Accuracy, string ArchKey);

/// <summary>
/// Predictor quality on held-out measurements: predicted against measured, and the empirical
/// coverage of the prediction interval at several nominal levels.
/// </summary>
internal sealed record QualityView(string Description, IReadOnlyList<PredictedMeasured> Points, IReadOnlyList<CoveragePoint> Coverage);

internal readonly record struct PredictedMeasured(double PredictedMs, double MeasuredMs);

internal readonly record struct CoveragePoint(double Nominal, double Empirical);
