using LatencyGate.Diagnostics;
using LatencyGate.Predictors;
using LatencyGate.Spaces;

namespace LatencyGate.Gating;

/// <summary>
/// The gate's finding for one device. <see cref="GatedMs"/> is the value compared with the budget:
/// the interval's upper bound when a confidence is set, otherwise the point prediction.
/// Locations point into the manifest (the device entry and its <c>budget_ms</c> value).
/// </summary>
internal sealed record DeviceResult
{
    public required string Device { get; init; }

    public required Verdict Verdict { get; init; }

    public required double BudgetMs { get; init; }

    public required double WarnMarginMs { get; init; }

    public int BatchSize { get; init; } = 1;

    /// <summary>The interval confidence (e.g. 0.95), or null when the gate acts on the point prediction.</summary>
    public double? Confidence { get; init; }

    /// <summary>Null when the device could not be evaluated, or when search found nothing to predict.</summary>
    public LatencyEstimate? Estimate { get; init; }

    public IntervalMethod IntervalMethod { get; init; } = IntervalMethod.None;

    /// <summary>The sub-network gated: the shipped arch, or the one search chose.</summary>
    public Arch? Arch { get; init; }

    /// <summary>Predicted top-1 accuracy (a fraction) of <see cref="Arch"/>, when an objective gave one.</summary>
    public double? Accuracy { get; init; }

    /// <summary>What the accuracy figure is ("OFA accuracy predictor", "MACs proxy"…).</summary>
    public string? AccuracySource { get; init; }

    public string PredictorDescription { get; init; } = string.Empty;

    /// <summary>Short human notes: proxy used (with its SRCC and interval), cache hits, strategy chosen….</summary>
    public IReadOnlyList<string> Notes { get; init; } = [];

    /// <summary>Problems specific to this device (for <see cref="Verdict.Error"/>, the reason).</summary>
    public IReadOnlyList<Diagnostic> Diagnostics { get; init; } = [];

    /// <summary>Seconds spent on this device (predictor build, prediction, search).</summary>
    public double Seconds { get; init; }

    public SourceLocation? DeviceLocation { get; init; }

    public SourceLocation? BudgetLocation { get; init; }

    /// <summary>For a measured device (manifest <c>measure:</c>): the measurement behind <see cref="Estimate"/>.</summary>
    public MeasuredLatency? Measured { get; init; }

    /// <summary>The latency compared with the budget, or null when there is none.</summary>
    public double? GatedMs => Estimate is { } e ? (Confidence is null ? e.Ms : e.UpperMs) : null;

    /// <summary>Headroom left under the budget (negative when over).</summary>
    public double? HeadroomMs => GatedMs is { } g ? BudgetMs - g : null;
}

/// <summary>
/// A measured device's measurement: median and 95 % interval of the median (bootstrap, widened to
/// every pass), how it was taken, whether the interval straddled the budget (inconclusive), and the
/// prediction it replaced when search predicted first (with that prediction's interval, so reports
/// can show predicted and measured side by side).
/// </summary>
internal sealed record MeasuredLatency(
    Measuring.ArchMeasurement Measurement,
    string Runtime,
    string RuntimeVersion,
    int Threads,
    string Clock,
    bool Inconclusive,
    Predictors.LatencyEstimate? Predicted,
    string? PredictedBy)
{
    public double? PredictedMs => Predicted?.Ms;

    /// <summary>Where the prediction's interval came from (None when search predicted without a confidence).</summary>
    public Predictors.IntervalMethod PredictedMethod { get; init; }

    /// <summary>The confidence of the prediction's interval, when the device has one.</summary>
    public double? PredictedConfidence { get; init; }
}
