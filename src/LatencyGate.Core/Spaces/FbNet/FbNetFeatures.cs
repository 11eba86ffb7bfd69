namespace LatencyGate.Spaces.FbNet;

/// <summary>Encodings of an FBNet arch for latency models.</summary>
internal static class FbNetFeatures
{
    // Layers per stage in FBNet's macro-architecture (1, 4, 4, 4, 4, 4, 1 blocks).
    private static readonly int[] StageOfLayer = [0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 6];

    /// <summary>One-hot per layer (22 × 9 values): the additive per-operator model's input.</summary>
    public static double[] OneHot(FbNetArch arch)
    {
        ArgumentNullException.ThrowIfNull(arch);
        var x = new double[FbNetArch.LayerCount * FbNetArch.OpCount];
        for (var l = 0; l < FbNetArch.LayerCount; l++)
        {
            x[(l * FbNetArch.OpCount) + arch.Ops[l]] = 1;
        }

        return x;
    }

    /// <summary>Op counts over all layers (9 values), position ignored.</summary>
    public static double[] Additive(FbNetArch arch)
    {
        ArgumentNullException.ThrowIfNull(arch);
        var x = new double[FbNetArch.OpCount];
        foreach (var op in arch.Ops)
        {
            x[op]++;
        }

        return x;
    }

    /// <summary>
    /// One-hot, op counts, and per stage: non-skip blocks (depth), kernel-5 blocks and the sum of
    /// expand ratios (width of the work); then the total depth and the arch's <see cref="Work"/>.
    /// </summary>
    public static double[] Structural(FbNetArch arch)
    {
        ArgumentNullException.ThrowIfNull(arch);
        var stages = StageOfLayer.Max() + 1;
        var depth = new double[stages];
        var k5 = new double[stages];
        var expand = new double[stages];
        for (var l = 0; l < FbNetArch.LayerCount; l++)
        {
            var name = FbNetArch.OpNames[arch.Ops[l]];
            if (name == "skip")
            {
                continue;
            }

            var s = StageOfLayer[l];
            depth[s]++;
            k5[s] += name.StartsWith("k5", StringComparison.Ordinal) ? 1 : 0;
            expand[s] += name.Contains("_e6", StringComparison.Ordinal) ? 6 : name.Contains("_e3", StringComparison.Ordinal) ? 3 : 1;
        }

        return [.. OneHot(arch), .. Additive(arch), .. depth, .. k5, .. expand, depth.Sum(), .. Work(arch)];
    }

    // FBNet's macro-architecture (Wu et al. 2019, table 1): output channels and stride of each stage.
    private static readonly int[] StageChannels = [16, 24, 32, 64, 112, 184, 352];
    private static readonly int[] StageStride = [1, 2, 2, 2, 1, 2, 1];

    // Input channels and spatial size of layer 0 (after the 16-channel stem; the size only scales every
    // count alike, so its exact value, 32 for CIFAR-100 with a stride-1 stem, does not matter).
    private const int StemChannels = 16;
    private const int InputSize = 32;

    /// <summary>Number of <see cref="Work"/> entries.</summary>
    public const int WorkCount = 8 + 7;

    /// <summary>
    /// Device-independent work of the arch, from FBNet's macro-architecture: multiply-adds in total, in
    /// the 1×1 convolutions and in the depthwise ones (millions), weights (thousands), activation traffic
    /// (millions of values read and written), block count, grouped blocks, kernel-5 blocks; then the
    /// multiply-adds of each of the 7 stages. A block is FBNet's inverted residual: 1×1 (grouped)
    /// expansion to e·c_in, k×k depthwise at the layer's stride, 1×1 (grouped) projection; skip costs nothing.
    /// </summary>
    public static double[] Work(FbNetArch arch)
    {
        ArgumentNullException.ThrowIfNull(arch);
        double total = 0, pointwise = 0, depthwise = 0, weights = 0, traffic = 0, blocks = 0, grouped = 0, k5 = 0;
        var stageMacs = new double[StageChannels.Length];
        var cin = StemChannels;
        var size = InputSize;
        for (var l = 0; l < FbNetArch.LayerCount; l++)
        {
            var s = StageOfLayer[l];
            var first = l == 0 || StageOfLayer[l - 1] != s;
            var stride = first ? StageStride[s] : 1;
            var cout = StageChannels[s];
            var outSize = size / stride;
            var name = FbNetArch.OpNames[arch.Ops[l]];
            if (name != "skip")
            {
                var k = name.StartsWith("k5", StringComparison.Ordinal) ? 5 : 3;
                var e = name.Contains("_e6", StringComparison.Ordinal) ? 6 : name.Contains("_e3", StringComparison.Ordinal) ? 3 : 1;
                var g = name.EndsWith("_g2", StringComparison.Ordinal) ? 2 : 1;
                double mid = e * cin;
                var inArea = (double)size * size;
                var outArea = (double)outSize * outSize;
                var pw = ((inArea * cin * mid) + (outArea * mid * cout)) / g;
                var dw = outArea * mid * k * k;
                pointwise += pw / 1e6;
                depthwise += dw / 1e6;
                total += (pw + dw) / 1e6;
                stageMacs[s] += (pw + dw) / 1e6;
                weights += (((cin * mid) + (mid * cout)) / g + (mid * k * k)) / 1e3;
                traffic += ((inArea * (cin + mid)) + (outArea * (mid + cout))) / 1e6;
                blocks++;
                grouped += g > 1 ? 1 : 0;
                k5 += k == 5 ? 1 : 0;
            }

            cin = cout;
            size = outSize;
        }

        return [total, pointwise, depthwise, weights, traffic, blocks, grouped, k5, .. stageMacs];
    }

    /// <summary>Penalty tier per entry of <see cref="Structural"/> (2 per-position one-hot, 0 counts and whole-net work, 1 stage-level).</summary>
    public static IReadOnlyList<int> StructuralTier { get; } =
        [.. Enumerable.Repeat(2, FbNetArch.LayerCount * FbNetArch.OpCount), .. Enumerable.Repeat(0, FbNetArch.OpCount), .. Enumerable.Repeat(1, (3 * 7) + 1), .. Enumerable.Repeat(0, 8), .. Enumerable.Repeat(1, 7)];
}
