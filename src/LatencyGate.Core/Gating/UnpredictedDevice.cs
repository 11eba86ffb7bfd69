using LatencyGate.Predictors;
using LatencyGate.Spaces;

namespace LatencyGate.Gating;

/// <summary>
/// Stands in for the predictor of a device that is only measured (<c>measure:</c> without a nested
/// predictor). The manifest rules out search for such a device and check mode skips it before
/// predicting, so a call here is a bug, and says so.
/// </summary>
internal sealed class UnpredictedDevice(OfaSpace space) : ILatencyPredictor
{
    public string Description => "measured on this machine";

    public OfaSpace Space => space;

    public IntervalMethod IntervalMethod => IntervalMethod.None;

    public void Predict(ReadOnlySpan<Arch> archs, Span<double> latencyMs) =>
        throw new InvalidOperationException("a measured-only device has no predictor");

    public void PredictWithInterval(ReadOnlySpan<Arch> archs, double confidence, Span<LatencyEstimate> estimates) =>
        throw new InvalidOperationException("a measured-only device has no predictor");
}
