using LatencyGate.Predictors;
using LatencyGate.Spaces;

namespace LatencyGate.Adaptation;

/// <summary>
/// A network predictor seen as a frozen trunk plus a linear output layer:
/// latency = (OutputWeights · Hidden(x) + OutputBias) · TargetScale + TargetShift.
/// What the <c>head</c> strategy (the seed paper's protocol) needs.
/// </summary>
internal interface ITrunkModel : ILatencyPredictor
{
    int HiddenSize { get; }

    /// <summary>Activations feeding the output layer, exactly as inference computes them.</summary>
    void Hidden(Arch arch, Span<double> hidden);

    ReadOnlySpan<double> OutputWeights { get; }

    double OutputBias { get; }

    /// <summary>Target de-normalization (1 and 0 when the network outputs milliseconds).</summary>
    double TargetScale { get; }

    double TargetShift { get; }
}
