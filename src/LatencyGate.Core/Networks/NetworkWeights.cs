using LatencyGate.Randomness;

namespace LatencyGate.Networks;

/// <summary>
/// Weights for a network from a seed. Latency does not depend on their values, but they keep
/// activations in a sane range (He-uniform for convolutions and linear layers, identity batch-norm
/// statistics), so no runtime meets overflow or denormals. Each tensor has its own stream (seed,
/// node, role), so a value never depends on which other tensors were drawn or in what order.
/// </summary>
internal static class NetworkWeights
{
    /// <summary>The weight of a convolution or linear node (PyTorch layout: out, in/groups, k, k).</summary>
    public static float[] Weight(ulong seed, NetworkNode node)
    {
        ArgumentNullException.ThrowIfNull(node);
        var (count, fanIn) = node.Op switch
        {
            Conv2dOp c => (c.WeightCount, (c.InChannels / c.Groups) * c.Kernel * c.Kernel),
            LinearOp l => ((long)l.InFeatures * l.OutFeatures, l.InFeatures),
            _ => throw new ArgumentException($"{node.Name} has no weight.", nameof(node)),
        };
        var values = new float[count];
        Uniform(values, (float)Math.Sqrt(6.0 / fanIn), Stream(seed, node.Index, 0));
        return values;
    }

    /// <summary>A small bias (or batch-norm shift) per output channel.</summary>
    public static float[] Bias(ulong seed, NetworkNode node, int channels)
    {
        ArgumentNullException.ThrowIfNull(node);
        var values = new float[channels];
        Uniform(values, 0.05f, Stream(seed, node.Index, 1));
        return values;
    }

    private static SeededRandom Stream(ulong seed, int node, int role) =>
        new(seed ^ ((ulong)((node * 4) + role + 1) * 0x9E3779B97F4A7C15UL));

    private static void Uniform(Span<float> values, float bound, SeededRandom random)
    {
        // Two 24-bit uniforms per 64-bit draw: weights need no more, and export time is mostly this loop.
        const float scale = 1f / (1U << 24);
        for (var i = 0; i < values.Length; i += 2)
        {
            var r = random.NextUInt64();
            values[i] = ((2f * ((r >> 40) * scale)) - 1f) * bound;
            if (i + 1 < values.Length)
            {
                values[i + 1] = ((2f * (((r >> 16) & 0xFFFFFF) * scale)) - 1f) * bound;
            }
        }
    }
}
