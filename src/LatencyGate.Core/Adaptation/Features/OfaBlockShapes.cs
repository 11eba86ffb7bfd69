using LatencyGate.Spaces;

namespace LatencyGate.Adaptation.Features;

/// <summary>
/// The layers of an OFA MobileNetV3 sub-network (OFA's <c>ofa_mbv3_d234_e346_k357_w*</c>): stem conv,
/// the fixed first block, the active blocks of five stages, and the head. Widths follow OFA's
/// make_divisible(·, 8); spatial sizes use OFA's (size − 1) / stride + 1.
/// </summary>
internal static class OfaBlockShapes
{
    /// <summary>Resolution-free operator groups: 5 stages × (first block, later block) × 3 kernels × 3 expands.</summary>
    public const int BlockGroupCount = Arch.StageCount * 2 * 9;

    private static readonly int[] BaseStageWidths = [24, 40, 80, 112, 160];
    private static readonly int[] Strides = [2, 2, 2, 1, 2];
    private static readonly bool[] SqueezeExcite = [false, true, false, true, true];
    private static readonly bool[] HardSwish = [false, false, true, true, true];

    public static int MakeDivisible(double value, int divisor = 8)
    {
        var v = Math.Max(divisor, (int)(value + (divisor / 2.0)) / divisor * divisor);
        if (v < 0.9 * value)
        {
            v += divisor;
        }

        return v;
    }

    /// <summary>Operator group of a block: stage, first-in-stage, kernel, expand.</summary>
    public static int GroupOf(int stage, bool first, int kernel, int expand) =>
        (((stage * 2) + (first ? 0 : 1)) * 9) + (KernelIndex(kernel) * 3) + ExpandIndex(expand);

    public static string DescribeGroup(int group)
    {
        var stage = group / 18;
        var first = (group / 9) % 2 == 0;
        var k = OfaSpace.KernelSizeChoices[(group % 9) / 3];
        var e = OfaSpace.ExpandRatioChoices[group % 3];
        return FormattableString.Invariant($"s{stage}{(first ? "-first" : string.Empty)}-k{k}-e{e}");
    }

    public static IReadOnlyList<LayerShape> Layers(Arch arch, OfaSpace space)
    {
        var w = space.WidthMultiplier;
        var layers = new List<LayerShape>(28);
        var r = arch.Resolution;
        var stemChannels = MakeDivisible(16 * w);
        var size = Down(r, 2);
        layers.Add(new LayerShape(LayerKind.Conv, r, 3, size, stemChannels, 0, 3, 2, false, false, true, -1));
        layers.Add(new LayerShape(LayerKind.ExpandedConv, size, stemChannels, size, stemChannels, stemChannels, 3, 1, true, false, false, -1));
        var channels = stemChannels;
        for (var s = 0; s < Arch.StageCount; s++)
        {
            var outChannels = MakeDivisible(BaseStageWidths[s] * w);
            for (var j = 0; j < arch.Depths[s]; j++)
            {
                var slot = (s * Arch.MaxDepth) + j;
                var stride = j == 0 ? Strides[s] : 1;
                var outSize = Down(size, stride);
                var k = arch.KernelSizes[slot];
                var e = arch.ExpandRatios[slot];
                var mid = MakeDivisible(Math.Round(channels * (double)e, MidpointRounding.ToEven));
                var skip = stride == 1 && channels == outChannels;
                layers.Add(new LayerShape(LayerKind.ExpandedConv, size, channels, outSize, outChannels, mid, k, stride, skip, SqueezeExcite[s], HardSwish[s], GroupOf(s, j == 0, k, e)));
                size = outSize;
                channels = outChannels;
            }
        }

        var finalExpand = MakeDivisible(960 * w);
        var last = MakeDivisible(1280 * w);
        layers.Add(new LayerShape(LayerKind.Conv1, size, channels, size, finalExpand, 0, 1, 1, false, false, true, -1));
        layers.Add(new LayerShape(LayerKind.AvgPool, size, finalExpand, 1, finalExpand, 0, size, 1, false, false, false, -1));
        layers.Add(new LayerShape(LayerKind.Conv2, 1, finalExpand, 1, last, 0, 1, 1, false, false, true, -1));
        layers.Add(new LayerShape(LayerKind.Logits, 1, last, 1, 1000, 0, 1, 1, false, false, false, -1));
        return layers;
    }

    private static int Down(int size, int stride) => ((size - 1) / stride) + 1;

    private static int KernelIndex(int k) => k switch { 3 => 0, 5 => 1, _ => 2 };

    private static int ExpandIndex(int e) => e switch { 3 => 0, 4 => 1, _ => 2 };
}
