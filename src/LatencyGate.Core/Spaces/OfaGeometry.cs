using System.Collections.Concurrent;

namespace LatencyGate.Spaces;

/// <summary>
/// Every layer an arch of one space can have at one resolution. A block's shape depends only on
/// its slot (stage and position), so the 20 slots x 3 kernels x 3 expand ratios are built once
/// and arch-dependent work is a lookup.
/// </summary>
internal sealed class OfaGeometry
{
    private static readonly ConcurrentDictionary<(string Space, int Resolution), OfaGeometry> Cache = new();

    private readonly OfaLayer[] _blocks;
    private readonly long _fixedMacs;

    private OfaGeometry(OfaSpace space, int resolution)
    {
        var w = OfaMobileNetV3.Widths(space);
        var stem = w[0];
        var size = (resolution + 1) / 2;
        FirstConv = new OfaLayer(
            OfaLayerKind.FirstConv, -1, resolution, 3, size, stem, 3, 2, 0, false, true, false,
            ConvMacs(size, 3, stem, 3, 1),
            (3L * 3 * 3 * stem) + (2L * stem));

        var firstWidth = w[1];
        FirstBlock = MakeBlock(
            OfaLayerKind.FirstBlock, -1, size, stem, firstWidth, 3, 1, expandRatio: 1,
            OfaMobileNetV3.FirstBlockUsesSe, OfaMobileNetV3.FirstBlockUsesHSwish);

        _blocks = new OfaLayer[Arch.SlotCount * 9];
        var cin = firstWidth;
        for (var stage = 0; stage < Arch.StageCount; stage++)
        {
            var cout = w[stage + 2];
            var stride = OfaMobileNetV3.StageStride(stage);
            for (var j = 0; j < Arch.MaxDepth; j++)
            {
                var slot = (stage * Arch.MaxDepth) + j;
                var blockIn = j == 0 ? cin : cout;
                var blockStride = j == 0 ? stride : 1;
                var inSize = j == 0 ? size : OutSize(size, stride);
                for (var k = 0; k < 3; k++)
                {
                    for (var e = 0; e < 3; e++)
                    {
                        _blocks[(slot * 9) + (k * 3) + e] = MakeBlock(
                            OfaLayerKind.Block, slot, inSize, blockIn, cout,
                            OfaSpace.KernelSizeChoices[k], blockStride, OfaSpace.ExpandRatioChoices[e],
                            OfaMobileNetV3.StageUsesSe(stage), OfaMobileNetV3.StageUsesHSwish(stage));
                    }
                }
            }

            size = OutSize(size, stride);
            cin = cout;
        }

        var finalExpand = w[7];
        var featureMix = w[8];
        Tail =
        [
            new OfaLayer(OfaLayerKind.FinalExpand, -1, size, cin, size, finalExpand, 1, 1, 0, false, true, false,
                ConvMacs(size, cin, finalExpand, 1, 1), ((long)cin * finalExpand) + (2L * finalExpand)),
            new OfaLayer(OfaLayerKind.AvgPool, -1, size, finalExpand, 1, finalExpand, size, 1, 0, false, false, false, 0, 0),
            new OfaLayer(OfaLayerKind.FeatureMix, -1, 1, finalExpand, 1, featureMix, 1, 1, 0, false, true, false,
                ConvMacs(1, finalExpand, featureMix, 1, 1), (long)finalExpand * featureMix),
            new OfaLayer(OfaLayerKind.Classifier, -1, 1, featureMix, 1, OfaMobileNetV3.ClassCount, 1, 1, 0, false, false, false,
                ConvMacs(1, featureMix, OfaMobileNetV3.ClassCount, 1, 1), ((long)featureMix * OfaMobileNetV3.ClassCount) + OfaMobileNetV3.ClassCount),
        ];
        _fixedMacs = FirstConv.Macs + FirstBlock.Macs + Tail.Sum(l => l.Macs);
    }

    public OfaLayer FirstConv { get; }

    public OfaLayer FirstBlock { get; }

    public IReadOnlyList<OfaLayer> Tail { get; }

    public static OfaGeometry For(OfaSpace space, int resolution)
    {
        ArgumentNullException.ThrowIfNull(space);
        return Cache.GetOrAdd((space.Name, resolution), static (key, s) => new OfaGeometry(s, key.Resolution), space);
    }

    /// <summary>Every layer a sub-network at this resolution can have (each slot at every kernel and expand), for whole lookup tables.</summary>
    public IEnumerable<OfaLayer> AllLayers() => [FirstConv, FirstBlock, .. _blocks, .. Tail];

    public OfaLayer Block(int slot, int kernelSize, int expandRatio) =>
        _blocks[(slot * 9) + (KernelIndex(kernelSize) * 3) + ExpandIndex(expandRatio)];

    public long Macs(Arch arch)
    {
        var total = _fixedMacs;
        for (var slot = 0; slot < Arch.SlotCount; slot++)
        {
            if (arch.IsActive(slot))
            {
                total += Block(slot, arch.KernelSizes[slot], arch.ExpandRatios[slot]).Macs;
            }
        }

        return total;
    }

    internal static int KernelIndex(int kernelSize) => kernelSize switch
    {
        3 => 0,
        5 => 1,
        7 => 2,
        _ => throw new ArgumentOutOfRangeException(nameof(kernelSize)),
    };

    internal static int ExpandIndex(int expandRatio) => expandRatio switch
    {
        3 => 0,
        4 => 1,
        6 => 2,
        _ => throw new ArgumentOutOfRangeException(nameof(expandRatio)),
    };

    private static int OutSize(int size, int stride) => ((size - 1) / stride) + 1;

    private static long ConvMacs(int outSize, int inChannels, int outChannels, int kernel, int groups) =>
        (long)inChannels * outChannels * kernel * kernel * outSize * outSize / groups;

    private static OfaLayer MakeBlock(OfaLayerKind kind, int slot, int inSize, int cin, int cout, int kernel, int stride, int expandRatio, bool se, bool hswish)
    {
        var outSize = OutSize(inSize, stride);
        var mid = OfaMobileNetV3.MakeDivisible(Math.Round((double)cin * expandRatio, MidpointRounding.ToEven));
        long macs = 0;
        long parameters = 0;
        if (expandRatio != 1)
        {
            macs += ConvMacs(inSize, cin, mid, 1, 1);
            parameters += ((long)cin * mid) + (2L * mid);
        }

        macs += ConvMacs(outSize, mid, mid, kernel, mid);
        parameters += ((long)mid * kernel * kernel) + (2L * mid);
        if (se)
        {
            var seMid = OfaMobileNetV3.MakeDivisible(mid / 4);
            macs += ConvMacs(1, mid, seMid, 1, 1) + ConvMacs(1, seMid, mid, 1, 1);
            parameters += ((long)mid * seMid) + seMid + ((long)seMid * mid) + mid;
        }

        macs += ConvMacs(outSize, mid, cout, 1, 1);
        parameters += ((long)mid * cout) + (2L * cout);
        var idSkip = stride == 1 && cin == cout;
        return new OfaLayer(kind, slot, inSize, cin, outSize, cout, kernel, stride, mid, se, hswish, idSkip, macs, parameters);
    }
}
