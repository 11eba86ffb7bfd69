namespace LatencyGate.Spaces.FbNet;

/// <summary>Encodings of an FBNet arch for latency models.</summary>
public static class FbNetFeatures
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
    /// expand ratios (width of the work); then the total depth.
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

        return [.. OneHot(arch), .. Additive(arch), .. depth, .. k5, .. expand, depth.Sum()];
    }

    /// <summary>Penalty tier per entry of <see cref="Structural"/> (2 per-position one-hot, 0 counts, 1 stage-level).</summary>
    public static IReadOnlyList<int> StructuralTier { get; } =
        [.. Enumerable.Repeat(2, FbNetArch.LayerCount * FbNetArch.OpCount), .. Enumerable.Repeat(0, FbNetArch.OpCount), .. Enumerable.Repeat(1, (3 * 7) + 1)];
}
