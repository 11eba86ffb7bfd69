using LatencyGate.Spaces;

namespace LatencyGate.Predictors;

/// <summary>
/// The analytic base <c>builtin:macs</c>: latency proportional to the arch's MACs (1 ms per 10⁸ MACs),
/// with no device in it. Adapted to a device's measurements (<c>fit --base builtin:macs</c>, a manifest
/// <c>finetune</c> with <c>base: builtin:macs</c>) it is a MACs-linear model whose per-operator
/// corrections (adaproxy) come from the shots: on a CPU running one network thread, latency follows
/// MACs more closely than a phone's or a GPU's latency table does (docs/measuring.md).
/// </summary>
internal sealed class MacsBasePredictor(OfaSpace space) : ILatencyPredictor
{
    /// <summary>How users name it wherever a base predictor is named.</summary>
    public const string Reference = "builtin:macs";

    private const double MsPerMac = 1e-8;

    public string Description => "MACs × 1e-8 ms (" + Reference + ")";

    public OfaSpace Space { get; } = space ?? throw new ArgumentNullException(nameof(space));

    public IntervalMethod IntervalMethod => IntervalMethod.None;

    public static bool IsReference(string? text) => string.Equals(text, Reference, StringComparison.OrdinalIgnoreCase);

    public void Predict(ReadOnlySpan<Arch> archs, Span<double> latencyMs)
    {
        for (var i = 0; i < archs.Length; i++)
        {
            latencyMs[i] = OfaMobileNetV3.Macs(archs[i], Space) * MsPerMac;
        }
    }

    public void PredictWithInterval(ReadOnlySpan<Arch> archs, double confidence, Span<LatencyEstimate> estimates)
    {
        for (var i = 0; i < archs.Length; i++)
        {
            var ms = OfaMobileNetV3.Macs(archs[i], Space) * MsPerMac;
            estimates[i] = new LatencyEstimate(ms, ms, ms);
        }
    }
}
