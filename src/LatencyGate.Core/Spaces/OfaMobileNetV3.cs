namespace LatencyGate.Spaces;

/// <summary>
/// The network OFA builds for an arch (OFAMobileNetV3 at width multiplier 1.0 or 1.2), layer by
/// layer: stage widths through make_divisible, strides [1,2,2,2,1,2], ReLU in the first three
/// stages and h-swish after, SE in stages with widths 40/112/160 (base), identity skip when the
/// stride is 1 and the width does not change, middle width make_divisible(round(cin·e), 8).
/// </summary>
internal static class OfaMobileNetV3
{
    public const int ChannelDivisible = 8;
    public const int ClassCount = 1000;

    private static readonly int[] BaseStageWidths = [16, 16, 24, 40, 80, 112, 160, 960, 1280];

    // Index 0 is the first (fixed) block, 1..5 the elastic stages.
    private static readonly int[] StageStrides = [1, 2, 2, 2, 1, 2];
    private static readonly bool[] StageHSwish = [false, false, false, true, true, true];
    private static readonly bool[] StageSe = [false, false, true, false, true, true];

    /// <summary>OFA's make_divisible: round to the nearest multiple, never more than 10 % down.</summary>
    public static int MakeDivisible(double value, int divisor = ChannelDivisible)
    {
        var rounded = Math.Max(divisor, (int)(value + (divisor / 2.0)) / divisor * divisor);
        return rounded < 0.9 * value ? rounded + divisor : rounded;
    }

    /// <summary>Widths [stem, first block, stage 1..5, final expand, feature mix] at the space's width multiplier.</summary>
    public static int[] Widths(OfaSpace space)
    {
        ArgumentNullException.ThrowIfNull(space);
        return [.. BaseStageWidths.Select(w => MakeDivisible(w * space.WidthMultiplier))];
    }

    /// <summary>Every layer OFA's latency table sums, in network order; inactive slots are left out.</summary>
    public static IReadOnlyList<OfaLayer> Layers(Arch arch, OfaSpace space)
    {
        ArgumentNullException.ThrowIfNull(arch);
        var geometry = OfaGeometry.For(space, arch.Resolution);
        var layers = new List<OfaLayer>(6 + arch.ActiveBlockCount)
        {
            geometry.FirstConv,
            geometry.FirstBlock,
        };
        for (var slot = 0; slot < Arch.SlotCount; slot++)
        {
            if (arch.IsActive(slot))
            {
                layers.Add(geometry.Block(slot, arch.KernelSizes[slot], arch.ExpandRatios[slot]));
            }
        }

        layers.AddRange(geometry.Tail);
        return layers;
    }

    /// <summary>Total MACs (OFA's count_flops_given_config, in MACs, not millions).</summary>
    public static long Macs(Arch arch, OfaSpace space)
    {
        ArgumentNullException.ThrowIfNull(arch);
        return OfaGeometry.For(space, arch.Resolution).Macs(arch);
    }

    /// <summary>Total trainable parameters (conv and linear weights, BN affine, SE and classifier biases).</summary>
    public static long Params(Arch arch, OfaSpace space) => Layers(arch, space).Sum(l => l.Params);

    internal static int StageStride(int stage) => StageStrides[stage + 1];

    internal static bool StageUsesHSwish(int stage) => StageHSwish[stage + 1];

    internal static bool StageUsesSe(int stage) => StageSe[stage + 1];

    internal static bool FirstBlockUsesSe => StageSe[0];

    internal static bool FirstBlockUsesHSwish => StageHSwish[0];
}
