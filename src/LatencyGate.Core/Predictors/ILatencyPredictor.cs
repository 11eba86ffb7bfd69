using LatencyGate.Spaces;

namespace LatencyGate.Predictors;

/// <summary>
/// Predicts the latency (ms, of one whole batch at the device's batch size) of OFA sub-networks.
/// Implementations are immutable after construction and safe to call from several threads.
/// </summary>
internal interface ILatencyPredictor
{
    /// <summary>Short human description, e.g. "LUT note10 (17 resolutions)" or "MLP 128-400-400-400-1".</summary>
    string Description { get; }

    OfaSpace Space { get; }

    /// <summary>How <see cref="PredictWithInterval"/> derives its bounds.</summary>
    IntervalMethod IntervalMethod { get; }

    /// <summary>Point predictions, batched: <paramref name="latencyMs"/>[i] for <paramref name="archs"/>[i].</summary>
    void Predict(ReadOnlySpan<Arch> archs, Span<double> latencyMs);

    /// <summary>
    /// Point predictions with a two-sided interval at <paramref name="confidence"/> (for example 0.95).
    /// Predictors with <see cref="IntervalMethod.None"/> return the point value as both bounds.
    /// </summary>
    void PredictWithInterval(ReadOnlySpan<Arch> archs, double confidence, Span<LatencyEstimate> estimates);
}
