using LatencyGate.Spaces;

namespace LatencyGate.Monotonicity;

/// <summary>
/// Encodings of OFA MobileNetV3 archs for proxy adaptation (<see cref="AdaptationPool"/>,
/// <see cref="ProxyAdapters"/>): AdaProxy's per-slot kernel/expand one-hot, and structure features
/// built from the layers OFA's latency table sums (<see cref="OfaMobileNetV3.Layers"/>): one column
/// per LUT block key (slot × kernel × expand, valued by the layer's MACs at the arch's resolution, so
/// a linear model over them is the additive per-operator LUT model), plus whole-net work and memory
/// traffic terms. Fixed layout, so any arch of the space can be encoded on its own.
/// </summary>
internal static class OfaAdaptationFeatures
{
    private const int Choices = 9;

    /// <summary>Names of <see cref="Structural"/>.</summary>
    public static IReadOnlyList<string> StructuralNames { get; } = BuildNames();

    /// <summary>
    /// Penalty tier per entry of <see cref="Structural"/> (as NAS-Bench-201's: 0 whole-net work,
    /// 1 other whole-net terms, 2 per-position LUT keys).
    /// </summary>
    public static IReadOnlyList<int> StructuralTier { get; } =
        [.. StructuralNames.Select((_, j) => j < Arch.SlotCount * Choices ? 2 : j < (Arch.SlotCount * Choices) + WorkColumns ? 0 : 1)];

    private const int WorkColumns = 12;

    /// <summary>The features of every arch, ready for <see cref="AdaptationPool.ForProxy"/>.</summary>
    public static ArchFeatureSet For(IReadOnlyList<Arch> archs, OfaSpace space)
    {
        ArgumentNullException.ThrowIfNull(archs);
        ArgumentNullException.ThrowIfNull(space);
        return new ArchFeatureSet(space.Name, [.. archs.Select(OneHot)], [.. archs.Select(a => Structural(a, space))], StructuralTier);
    }

    /// <summary>A proxy adaptation pool over <paramref name="archs"/> with the proxy's latencies (NaN where not measured).</summary>
    public static AdaptationPool Pool(IReadOnlyList<Arch> archs, OfaSpace space, IReadOnlyList<double> proxyLatency)
    {
        var set = For(archs, space);
        return AdaptationPool.ForProxy(set.OneHot, set.Structural, proxyLatency, set.Tiers);
    }

    /// <summary>AdaProxy's encoding: kernel and expand one-hot per active slot (zeros for inactive slots), 120 values.</summary>
    public static double[] OneHot(Arch arch)
    {
        ArgumentNullException.ThrowIfNull(arch);
        var x = new double[Arch.SlotCount * 6];
        for (var s = 0; s < Arch.SlotCount; s++)
        {
            if (arch.IsActive(s))
            {
                x[(6 * s) + OfaGeometry.KernelIndex(arch.KernelSizes[s])] = 1;
                x[(6 * s) + 3 + OfaGeometry.ExpandIndex(arch.ExpandRatios[s])] = 1;
            }
        }

        return x;
    }

    /// <summary>The structure features (layout named by <see cref="StructuralNames"/>); MACs in millions, memory in mega-elements.</summary>
    public static double[] Structural(Arch arch, OfaSpace space)
    {
        ArgumentNullException.ThrowIfNull(arch);
        ArgumentNullException.ThrowIfNull(space);
        var layers = OfaMobileNetV3.Layers(arch, space);
        var x = new double[StructuralNames.Count];
        var stageMacs = new double[Arch.StageCount];
        double blockMacs = 0, depthwise = 0, pointwise = 0, memory = 0, seBlocks = 0, hswishMacs = 0, kernels = 0, expands = 0;
        foreach (var layer in layers.Where(l => l.Kind == OfaLayerKind.Block))
        {
            var macs = layer.Macs / 1e6;
            var choice = (OfaGeometry.KernelIndex(layer.Kernel) * 3) + OfaGeometry.ExpandIndex(arch.ExpandRatios[layer.Slot]);
            x[(layer.Slot * Choices) + choice] = macs;
            blockMacs += macs;
            stageMacs[layer.Stage] += macs;
            var outArea = (double)layer.OutputSize * layer.OutputSize;
            var inArea = (double)layer.InputSize * layer.InputSize;
            depthwise += outArea * layer.ExpandWidth * layer.Kernel * layer.Kernel / 1e6;
            pointwise += ((inArea * layer.InputChannels * layer.ExpandWidth) + (outArea * layer.ExpandWidth * layer.OutputChannels)) / 1e6;
            memory += ((inArea * (layer.InputChannels + layer.ExpandWidth)) + (outArea * ((2.0 * layer.ExpandWidth) + layer.OutputChannels))) / 1e6;
            seBlocks += layer.Se ? 1 : 0;
            hswishMacs += layer.HSwish ? macs : 0;
            kernels += layer.Kernel;
            expands += arch.ExpandRatios[layer.Slot];
        }

        var r = arch.Resolution / 224.0;
        var j = Arch.SlotCount * Choices;
        x[j++] = layers.Sum(l => l.Macs) / 1e6;
        x[j++] = blockMacs;
        foreach (var m in stageMacs)
        {
            x[j++] = m;
        }

        x[j++] = arch.ActiveBlockCount * r * r;
        x[j++] = r * r;
        x[j++] = layers.Sum(l => l.Params) / 1e6;
        x[j++] = depthwise;
        x[j++] = pointwise;
        x[j++] = memory;
        x[j++] = r;
        x[j++] = arch.ActiveBlockCount;
        for (var s = 0; s < Arch.StageCount; s++)
        {
            x[j++] = arch.Depths[s];
        }

        x[j++] = seBlocks;
        x[j++] = hswishMacs;
        x[j++] = kernels;
        x[j] = expands;
        return x;
    }

    private static List<string> BuildNames()
    {
        var names = new List<string>();
        for (var s = 0; s < Arch.SlotCount; s++)
        {
            foreach (var k in OfaSpace.KernelSizeChoices)
            {
                names.AddRange(OfaSpace.ExpandRatioChoices.Select(e => $"slot{s}_k{k}_e{e}_macs"));
            }
        }

        names.AddRange(["macs", "block_macs", "stage0_macs", "stage1_macs", "stage2_macs", "stage3_macs", "stage4_macs", "blocks_r2", "r2", "params", "depthwise_macs", "pointwise_macs"]);
        names.AddRange(["memory", "r", "blocks", "depth0", "depth1", "depth2", "depth3", "depth4", "se_blocks", "hswish_macs", "kernel_sum", "expand_sum"]);
        return names;
    }
}
