using LatencyGate.Spaces;

namespace LatencyGate.Adaptation.Features;

/// <summary>
/// Operator groups over OFA MobileNetV3 layers (<see cref="OfaMobileNetV3.Layers"/>): the
/// resolution-free identity (stage, first block or not, kernel, expand) that per-operator costs and
/// corrections share across resolutions.
/// </summary>
internal static class OfaBlockShapes
{
    /// <summary>Resolution-free operator groups: 5 stages × (first block, later block) × 3 kernels × 3 expands.</summary>
    public const int BlockGroupCount = Arch.StageCount * 2 * 9;

    public static int MakeDivisible(double value, int divisor = 8) => OfaMobileNetV3.MakeDivisible(value, divisor);

    /// <summary>Operator group of a block: stage, first-in-stage, kernel, expand.</summary>
    public static int GroupOf(int stage, bool first, int kernel, int expand) =>
        (((stage * 2) + (first ? 0 : 1)) * 9) + (OfaGeometry.KernelIndex(kernel) * 3) + OfaGeometry.ExpandIndex(expand);

    public static string DescribeGroup(int group)
    {
        var stage = group / 18;
        var first = (group / 9) % 2 == 0;
        var k = OfaSpace.KernelSizeChoices[(group % 9) / 3];
        var e = OfaSpace.ExpandRatioChoices[group % 3];
        return FormattableString.Invariant($"s{stage}{(first ? "-first" : string.Empty)}-k{k}-e{e}");
    }

    /// <summary>The layers of <see cref="OfaMobileNetV3.Layers"/> with their operator groups and cost-model views.</summary>
    public static IReadOnlyList<LayerShape> Layers(Arch arch, OfaSpace space)
    {
        var layers = OfaMobileNetV3.Layers(arch, space);
        var result = new LayerShape[layers.Count];
        for (var i = 0; i < layers.Count; i++)
        {
            var l = layers[i];
            var group = l.Kind == OfaLayerKind.Block
                ? GroupOf(l.Stage, l.Slot % Arch.MaxDepth == 0, arch.KernelSizes[l.Slot], arch.ExpandRatios[l.Slot])
                : -1;
            result[i] = new LayerShape(l, group);
        }

        return result;
    }
}
