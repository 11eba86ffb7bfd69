namespace LatencyGate.Gating;

/// <summary>
/// Predictor quality on held-out measurements: predicted against measured, and the empirical
/// coverage of the prediction interval at several nominal levels.
/// </summary>
internal sealed record QualityView(string Description, IReadOnlyList<PredictedMeasured> Points, IReadOnlyList<CoveragePoint> Coverage);

internal readonly record struct PredictedMeasured(double PredictedMs, double MeasuredMs);

internal readonly record struct CoveragePoint(double Nominal, double Empirical);
