using LatencyGate.Spaces;

namespace LatencyGate.Adaptation.Features;

/// <summary>
/// Additive per-operator features: for each resolution-free operator group (stage, first block or not,
/// kernel, expand) its count weighted by the block's output area relative to 224 px, then the stem and
/// head areas, and per-stage block counts (per-layer overhead that does not scale with area). A latency
/// that is a sum of per-layer costs, each proportional to its spatial area, is linear in these.
/// </summary>
internal sealed class StructuredFeatures : IFeatureMap
{
    public const int StemIndex = OfaBlockShapes.BlockGroupCount;
    public const int HeadIndex = StemIndex + 1;
    public const int CountIndex = HeadIndex + 1;
    public const int Count = CountIndex + Arch.StageCount;

    private static readonly string[] Names = BuildNames();

    public StructuredFeatures(OfaSpace space) => Space = space;

    public OfaSpace Space { get; }

    public string Name => "structured-" + Space.Name;

    public IReadOnlyList<string> FeatureNames => Names;

    public void Compute(Arch arch, Span<double> features)
    {
        features[..Count].Clear();
        var layers = OfaBlockShapes.Layers(arch, Space);
        var reference = ReferenceSizes(Space);
        var block = 0;
        foreach (var layer in layers)
        {
            if (layer.OperatorGroup >= 0)
            {
                var stage = layer.OperatorGroup / 18;
                var refSize = reference[stage];
                features[layer.OperatorGroup] += (double)layer.OutputSize * layer.OutputSize / (refSize * refSize);
                features[CountIndex + stage] += 1;
                block++;
            }
            else if (layer.Kind is OfaLayerKind.FirstConv)
            {
                features[StemIndex] = (double)layer.OutputSize * layer.OutputSize / (112.0 * 112.0);
            }
            else if (layer.Kind is OfaLayerKind.FinalExpand)
            {
                features[HeadIndex] = (double)layer.OutputSize * layer.OutputSize / 49.0;
            }
        }
    }


    private static int[] ReferenceSizes(OfaSpace space)
    {
        // Output size of each stage at 224 px: 56, 28, 14, 14, 7.
        _ = space;
        return [56, 28, 14, 14, 7];
    }

    private static string[] BuildNames()
    {
        var names = new string[Count];
        for (var g = 0; g < OfaBlockShapes.BlockGroupCount; g++)
        {
            names[g] = OfaBlockShapes.DescribeGroup(g);
        }

        names[StemIndex] = "stem-area";
        names[HeadIndex] = "head-area";
        for (var s = 0; s < Arch.StageCount; s++)
        {
            names[CountIndex + s] = FormattableString.Invariant($"s{s}-blocks");
        }

        return names;
    }
}
