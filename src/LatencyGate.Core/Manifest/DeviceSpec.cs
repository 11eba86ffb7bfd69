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
    SourceLocation Location);
