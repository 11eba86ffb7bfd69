namespace LatencyGate.Spaces.Encodings;

/// <summary>
/// LatencyGate's richer encoding (163 values), laid out as
/// [per slot: ks one-hot 3 + e one-hot 3, zero when inactive (120) | depth one-hot per stage (15) |
/// resolution one-hot over the space's 25 resolutions (25) | r / 224 (1) | MACs / MACs of the
/// largest net at 224 (1) | active blocks / 20 (1)].
/// Unlike the tutorial encoding, every resolution gets its own slot, depth is explicit, and the
/// continuous terms let a model extrapolate smoothly in size.
/// </summary>
internal sealed class RichEncoding : IArchEncoding
{
    public const string EncodingName = "lg-rich-163";
    private const int SlotBlock = Arch.SlotCount * 6;
    private const int DepthBlock = Arch.StageCount * 3;

    private readonly OfaSpace _space;
    private readonly double _maxMacs;

    public RichEncoding(OfaSpace space)
    {
        ArgumentNullException.ThrowIfNull(space);
        _space = space;
        var max = Arch.Create(Enumerable.Repeat(7, 20).ToArray(), Enumerable.Repeat(6, 20).ToArray(), [4, 4, 4, 4, 4], space.MaxResolution, space);
        _maxMacs = OfaMobileNetV3.Macs(max, space);
    }

    public string Name => EncodingName;

    public int Length => SlotBlock + DepthBlock + _space.Resolutions.Count + 3;

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
                features[(i * 6) + OfaGeometry.KernelIndex(ks[i])] = 1f;
                features[(i * 6) + 3 + OfaGeometry.ExpandIndex(e[i])] = 1f;
            }
        }

        var d = arch.Depths;
        for (var s = 0; s < Arch.StageCount; s++)
        {
            features[SlotBlock + (s * 3) + (d[s] - 2)] = 1f;
        }

        var offset = SlotBlock + DepthBlock;
        var rIndex = (arch.Resolution - _space.MinResolution) / _space.ResolutionStep;
        features[offset + Math.Clamp(rIndex, 0, _space.Resolutions.Count - 1)] = 1f;
        offset += _space.Resolutions.Count;
        features[offset] = arch.Resolution / 224f;
        features[offset + 1] = (float)(OfaGeometry.For(_space, arch.Resolution).Macs(arch) / _maxMacs);
        features[offset + 2] = arch.ActiveBlockCount / (float)Arch.SlotCount;
    }
}
