using LatencyGate.Adaptation;
using LatencyGate.Diagnostics;

namespace LatencyGate.Manifest;

/// <summary>One target device of the manifest, with defaults already applied.</summary>
internal sealed record DeviceSpec(
    Located<string> Name,
    Located<double> BudgetMs,
    Located<int> BatchSize,
    Located<double>? Confidence,
    Located<WarnMargin> WarnMargin,
    HardwareSpec? Hardware,
    PredictorSource Predictor,
    SourceLocation Location)
{
    /// <summary>
    /// With a <see cref="Confidence"/>, how sure the gate must be that a conformal interval's coverage
    /// reaches it over the draw of its calibration measurements (1−δ; see
    /// <see cref="Predictors.Intervals.ConformalPredictor"/>); null keeps the marginal promise.
    /// </summary>
    public Located<double>? CalibrationConfidence { get; init; }
}
