using LatencyGate.Predictors;
using LatencyGate.Spaces;

namespace LatencyGate.Search;

/// <summary>
/// The objective when no accuracy predictor is given: the arch's multiply-accumulates, in
/// millions. Within OFA's space, at a fixed latency, the network that does more work (wider
/// blocks, bigger kernels, deeper stages, higher resolution) is almost always the more accurate
/// one, so maximizing MACs under a latency budget picks the network that uses the budget best.
/// Scores are MACs (M), not accuracies: results say so through <see cref="Description"/>.
/// </summary>
internal sealed class MacsProxyObjective : IAccuracyObjective
{
    private readonly Func<Arch, double> _macsMillions;

    /// <param name="macsMillions">MACs of an arch in millions (the space's layer derivation); must be thread-safe.</param>
    /// <param name="spaceName">Named in the description, e.g. "ofa-mbv3-w1.2".</param>
    public MacsProxyObjective(Func<Arch, double> macsMillions, string spaceName)
    {
        _macsMillions = macsMillions;
        Description = $"MACs proxy ({spaceName}; score = MACs in millions, not an accuracy)";
    }

    /// <summary>The proxy over OFA's layer derivation (<see cref="OfaMobileNetV3.Macs"/>) in <paramref name="space"/>.</summary>
    public static MacsProxyObjective For(OfaSpace space)
    {
        ArgumentNullException.ThrowIfNull(space);
        return new MacsProxyObjective(a => OfaMobileNetV3.Macs(a, space) / 1e6, space.Name);
    }

    public string Description { get; }

    public void Score(ReadOnlySpan<Arch> archs, Span<double> scores)
    {
        for (var i = 0; i < archs.Length; i++)
        {
            scores[i] = _macsMillions(archs[i]);
        }
    }
}
