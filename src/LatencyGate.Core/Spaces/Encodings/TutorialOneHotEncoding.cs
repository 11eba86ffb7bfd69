namespace LatencyGate.Spaces.Encodings;

/// <summary>
/// OFA's tutorial encoding (spec2feats, the input of OFA's published accuracy predictor and of
/// the seed paper's predictors): [ks one-hot 20x3 | e one-hot 20x3 | r one-hot 8]. Inactive
/// slots are all zero; the resolution slot is (r - 112) / 16, so 128..224 map to 1..7.
/// </summary>
internal sealed class TutorialOneHotEncoding : IArchEncoding
{
    public const string EncodingName = "ofa-tutorial-128";

    /// <summary>Length of the encoding.</summary>
    public const int Size = (Arch.SlotCount * 3 * 2) + ResolutionSlots;

    /// <summary>Most ones an arch can have: kernel and expand of every slot, plus the resolution.</summary>
    public const int MaxNonZero = (2 * Arch.SlotCount) + 1;

    private const int ResolutionSlots = 8;

    public static TutorialOneHotEncoding Instance { get; } = new();

    public string Name => EncodingName;

    public int Length => Size;

    /// <summary>
    /// Writes the indices of the ones (ascending) into <paramref name="indices"/> and returns how many:
    /// the sparse form a one-hot first layer consumes without multiplying by zeros.
    /// </summary>
    public static int Indices(Arch arch, Span<int> indices)
    {
        ArgumentNullException.ThrowIfNull(arch);
        var n = 0;
        for (var i = 0; i < Arch.SlotCount; i++)
        {
            if (arch.IsActive(i))
            {
                indices[n++] = (i * 3) + OfaGeometry.KernelIndex(arch.KernelSizes[i]);
            }
        }

        for (var i = 0; i < Arch.SlotCount; i++)
        {
            if (arch.IsActive(i))
            {
                indices[n++] = (Arch.SlotCount * 3) + (i * 3) + OfaGeometry.ExpandIndex(arch.ExpandRatios[i]);
            }
        }

        indices[n++] = ResolutionIndex(arch.Resolution);
        return n;
    }

    /// <summary>The index of the one that encodes <paramref name="resolution"/>.</summary>
    public static int ResolutionIndex(int resolution) => (Arch.SlotCount * 6) + Math.Clamp((resolution - 112) / 16, 0, ResolutionSlots - 1);

    public void Encode(Arch arch, Span<float> features)
    {
        features = features[..Size];
        features.Clear();
        Span<int> ones = stackalloc int[MaxNonZero];
        foreach (var i in ones[..Indices(arch, ones)])
        {
            features[i] = 1f;
        }
    }
}
