using LatencyGate.Spaces;

namespace LatencyGate.Adaptation.Features;

/// <summary>
/// <see cref="StructuredFeatures"/> plus their sums over coarse groups (per stage, per kernel size, per
/// expand ratio, first blocks): under one ridge penalty a coarse feature is cheaper to use than the
/// many fine ones it sums (and so are the device-independent totals: MACs, activation and weight bytes), so a few shots correct broad effects (kernel 7 costs relatively more on
/// this device) and more shots refine single operators. The per-operator correction map of adaproxy.
/// </summary>
internal sealed class HierarchicalFeatures : IFeatureMap
{
    private const int Fine = StructuredFeatures.Count;
    private const int Coarse = Arch.StageCount + 3 + 3 + 1 + 1 + 3;
    private static readonly string[] Names = BuildNames();
    private readonly StructuredFeatures _structured;

    public HierarchicalFeatures(OfaSpace space) => _structured = new StructuredFeatures(space);

    public string Name => "hierarchical-" + _structured.Space.Name;

    internal OfaSpace Space => _structured.Space;

    public IReadOnlyList<string> FeatureNames => Names;

    public void Compute(Arch arch, Span<double> features)
    {
        features[..(Fine + Coarse)].Clear();
        _structured.Compute(arch, features);
        for (var g = 0; g < OfaBlockShapes.BlockGroupCount; g++)
        {
            var v = features[g];
            if (v == 0)
            {
                continue;
            }

            var stage = g / 18;
            var first = (g / 9) % 2 == 0;
            features[Fine + stage] += v;
            features[Fine + Arch.StageCount + ((g % 9) / 3)] += v;
            features[Fine + Arch.StageCount + 3 + (g % 3)] += v;
            if (first)
            {
                features[Fine + Arch.StageCount + 6] += v;
            }

            features[Fine + Arch.StageCount + 7] += v;
        }

        // Device-independent work measures: how much compute and memory traffic the network has.
        double macs = 0, activations = 0, weights = 0;
        foreach (var layer in OfaBlockShapes.Layers(arch, _structured.Space))
        {
            macs += layer.Macs;
            activations += layer.ActivationBytes;
            weights += layer.WeightBytes;
        }

        features[Fine + Coarse - 3] = macs / 1e8;
        features[Fine + Coarse - 2] = activations / 1e7;
        features[Fine + Coarse - 1] = weights / 1e7;
    }

    private static string[] BuildNames()
    {
        var names = new List<string>(StructuredFeatures.Count + Coarse);
        names.AddRange(new StructuredFeatures(OfaSpace.W12).FeatureNames);
        for (var s = 0; s < Arch.StageCount; s++)
        {
            names.Add(FormattableString.Invariant($"stage{s}-area"));
        }

        names.AddRange(["k3-area", "k5-area", "k7-area", "e3-area", "e4-area", "e6-area", "first-block-area", "all-blocks-area", "macs-1e8", "activation-bytes-1e7", "weight-bytes-1e7"]);
        return names.ToArray();
    }
}
