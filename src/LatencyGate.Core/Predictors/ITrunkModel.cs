using LatencyGate.Spaces;

namespace LatencyGate.Predictors;

/// <summary>
/// A network predictor seen as a frozen trunk plus a linear output layer:
/// latency = (OutputWeights · Hidden(x) + OutputBias) · TargetScale + TargetShift.
/// What the <c>head</c> strategy (the seed paper's protocol) needs. A model with no hidden layer (an
/// additive model, a one-layer network) reports <see cref="HiddenSize"/> 0 and is not a trunk.
/// </summary>
internal interface ITrunkModel : ILatencyPredictor
{
    int HiddenSize { get; }

    /// <summary>Activations feeding the output layer, exactly as inference computes them.</summary>
    void Hidden(Arch arch, Span<double> hidden);

    /// <summary>Batched <see cref="Hidden(Arch, Span{double})"/>: row i of <paramref name="hidden"/> (HiddenSize wide) for archs[i], the same values.</summary>
    void Hidden(ReadOnlySpan<Arch> archs, Span<double> hidden)
    {
        for (var i = 0; i < archs.Length; i++)
        {
            Hidden(archs[i], hidden.Slice(i * HiddenSize, HiddenSize));
        }
    }

    ReadOnlySpan<double> OutputWeights { get; }

    double OutputBias { get; }

    /// <summary>Target de-normalization (1 and 0 when the network outputs milliseconds).</summary>
    double TargetScale { get; }

    double TargetShift { get; }
}
