using LatencyGate.Diagnostics;
using LatencyGate.Monotonicity;
using LatencyGate.Spaces;

namespace LatencyGate.Adaptation;

/// <summary>
/// <c>sample --space S --base PRIOR --count N</c>: which archs to measure on a new device before
/// <c>fit --base PRIOR</c>. Among <see cref="Candidates"/> random archs of the space, <see cref="ShotSelection.Best"/>
/// (farthest-point over the sources' standardized predictions and the tier-0 structure features, the
/// selection nasflat-fbnet reports as <c>diverse+</c>) picks N spread out in what the sources disagree
/// about and in the archs' work, which is what a ridge fit on a few shots needs.
/// </summary>
internal static class SourcePriorSampling
{
    /// <summary>How many random archs the selection looks at (its farthest-point search examines at most this many).</summary>
    public const int Candidates = 1000;

    public static IReadOnlyList<Arch> Choose(string priorPath, OfaSpace space, IReadOnlyList<Arch> candidates, int count, ulong seed)
    {
        ArgumentNullException.ThrowIfNull(candidates);
        if (PredictorLoader.Load(space, null, priorPath) is not SourcePriorPredictor prior)
        {
            throw new LatencyGateException(TransferErrors.BadSampleBase, "sample --base needs a source-prior file (made by fit --data SOURCES.csv --columns A,B,…)", new SourceLocation(priorPath));
        }

        double[][] structural = [.. candidates.Select(a => OfaAdaptationFeatures.Structural(a, space))];
        return [.. SourceInformedSampling.Choose(prior.Prior, structural, count, seed).Select(i => candidates[i])];
    }
}
