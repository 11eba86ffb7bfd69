namespace LatencyGate.Spaces.Encodings;

/// <summary>
/// OFA's tutorial encoding (spec2feats, the input of OFA's published accuracy predictor and of
/// the seed paper's predictors): [ks one-hot 20x3 | e one-hot 20x3 | r one-hot 8]. Inactive
/// slots are all zero; the resolution slot is (r - 112) / 16, so 128..224 map to 1..7.
/// </summary>
public sealed class TutorialOneHotEncoding : IArchEncoding
{
    public const string EncodingName = "ofa-tutorial-128";
    private const int ResolutionSlots = 8;

    public static TutorialOneHotEncoding Instance { get; } = new();

    public string Name => EncodingName;

    public int Length => (Arch.SlotCount * 3 * 2) + ResolutionSlots;

    public void Encode(Arch arch, Span<float> features)
    {
        ArgumentNullException.ThrowIfNull(arch);
        features = features[..Length];
        features.Clear();
        var ks = arch.KernelSizes;
        var e = arch.ExpandRatios;
        for (var i = 0; i < Arch.SlotCount; i++)
        {
            if (arch.IsActive(i))
            {
                features[(i * 3) + OfaGeometry.KernelIndex(ks[i])] = 1f;
                features[(Arch.SlotCount * 3) + (i * 3) + OfaGeometry.ExpandIndex(e[i])] = 1f;
            }
        }

        var r = (arch.Resolution - 112) / 16;
        features[(Arch.SlotCount * 6) + Math.Clamp(r, 0, ResolutionSlots - 1)] = 1f;
    }
}
