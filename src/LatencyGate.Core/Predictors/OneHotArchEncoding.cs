using LatencyGate.Spaces;

namespace LatencyGate.Predictors;

/// <summary>
/// The 128-d one-hot encoding shared by OFA's tutorial accuracy predictor and the seed paper's
/// latency MLP: kernel size per slot (20 × {3,5,7}), expand ratio per slot (20 × {3,4,6}), both
/// all-zero for inactive slots, then resolution in 8 slots at index (r − 112) / 16. Produced as
/// the indices of the ones, which is what the sparse first layer consumes.
/// </summary>
internal static class OneHotArchEncoding
{
    public const string Name = "ofa-onehot-128";
    public const int Size = 128;
    public const int MaxNonZero = (2 * Arch.SlotCount) + 1;

    /// <summary>Writes the indices of the ones (ascending) into <paramref name="indices"/>; returns how many.</summary>
    public static int Indices(Arch arch, Span<int> indices)
    {
        var n = 0;
        for (var i = 0; i < Arch.SlotCount; i++)
        {
            if (arch.IsActive(i))
            {
                indices[n++] = (i * 3) + KernelIndex(arch.KernelSizes[i]);
            }
        }

        for (var i = 0; i < Arch.SlotCount; i++)
        {
            if (arch.IsActive(i))
            {
                indices[n++] = 60 + (i * 3) + ExpandIndex(arch.ExpandRatios[i]);
            }
        }

        indices[n++] = 120 + Math.Clamp((arch.Resolution - 112) / 16, 0, 7);
        return n;
    }

    public static float[] Dense(Arch arch)
    {
        var result = new float[Size];
        Span<int> idx = stackalloc int[MaxNonZero];
        var n = Indices(arch, idx);
        foreach (var i in idx[..n])
        {
            result[i] = 1f;
        }

        return result;
    }

    /// <summary>Compressed rows of the encoding for a batch (the layout <see cref="Learning.SparseFirstLayer"/> reads).</summary>
    public static (int[] RowStarts, int[] Indices) Batch(ReadOnlySpan<Arch> archs)
    {
        var starts = new int[archs.Length + 1];
        var indices = new int[archs.Length * MaxNonZero];
        var n = 0;
        for (var r = 0; r < archs.Length; r++)
        {
            starts[r] = n;
            n += Indices(archs[r], indices.AsSpan(n));
        }

        starts[archs.Length] = n;
        return (starts, indices);
    }

    public static int KernelIndex(int ks) => ks switch
    {
        3 => 0,
        5 => 1,
        7 => 2,
        _ => throw new ArgumentOutOfRangeException(nameof(ks)),
    };

    public static int ExpandIndex(int e) => e switch
    {
        3 => 0,
        4 => 1,
        6 => 2,
        _ => throw new ArgumentOutOfRangeException(nameof(e)),
    };
}
