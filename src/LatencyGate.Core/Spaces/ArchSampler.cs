using LatencyGate.Randomness;

namespace LatencyGate.Spaces;

/// <summary>
/// OFA's ArchManager and EvolutionFinder operators: uniform random sampling, per-gene mutation
/// with probability p (resolution first, then each block's ks and e together, then each stage's
/// depth), and uniform crossover gene by gene. Every result is a valid arch by construction.
/// </summary>
internal sealed class ArchSampler
{
    private readonly int[] _resolutions;

    /// <param name="resolutions">Resolutions to draw from (OFA's tutorial: 160, 176, 192, 208, 224).</param>
    public ArchSampler(IReadOnlyList<int> resolutions)
    {
        ArgumentOutOfRangeException.ThrowIfZero(resolutions.Count);
        _resolutions = [.. resolutions];
    }

    public IReadOnlyList<int> Resolutions => _resolutions;

    public Arch Sample(SeededRandom random)
    {
        var d = new byte[Arch.StageCount];
        var e = new byte[Arch.SlotCount];
        var ks = new byte[Arch.SlotCount];
        for (var i = 0; i < Arch.StageCount; i++)
        {
            d[i] = (byte)random.Choice(OfaSpace.DepthChoices);
        }

        for (var i = 0; i < Arch.SlotCount; i++)
        {
            e[i] = (byte)random.Choice(OfaSpace.ExpandRatioChoices);
            ks[i] = (byte)random.Choice(OfaSpace.KernelSizeChoices);
        }

        return Arch.CreateTrusted(ks, e, d, random.Choice(_resolutions));
    }

    /// <summary>
    /// Up to <paramref name="count"/> distinct archs in draw order. The space holds ~10^19 archs, so
    /// duplicates are rare, but the draws are bounded (100 per arch asked for) regardless.
    /// </summary>
    public List<Arch> SampleDistinct(int count, SeededRandom random, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(random);
        var seen = new HashSet<Arch>();
        var result = new List<Arch>(Math.Max(count, 0));
        for (var attempts = 0; result.Count < count && attempts < count * 100L; attempts++)
        {
            if ((attempts & 1023) == 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
            }

            var arch = Sample(random);
            if (seen.Add(arch))
            {
                result.Add(arch);
            }
        }

        return result;
    }

    public Arch Mutate(Arch parent, double probability, SeededRandom random)
    {
        var ks = parent.KernelSizes.ToArray();
        var e = parent.ExpandRatios.ToArray();
        var d = parent.Depths.ToArray();
        var r = parent.Resolution;
        if (random.NextDouble() < probability)
        {
            r = random.Choice(_resolutions);
        }

        for (var i = 0; i < Arch.SlotCount; i++)
        {
            if (random.NextDouble() < probability)
            {
                ks[i] = (byte)random.Choice(OfaSpace.KernelSizeChoices);
                e[i] = (byte)random.Choice(OfaSpace.ExpandRatioChoices);
            }
        }

        for (var i = 0; i < Arch.StageCount; i++)
        {
            if (random.NextDouble() < probability)
            {
                d[i] = (byte)random.Choice(OfaSpace.DepthChoices);
            }
        }

        return Arch.CreateTrusted(ks, e, d, r);
    }

    public static Arch Crossover(Arch a, Arch b, SeededRandom random)
    {
        var ks = new byte[Arch.SlotCount];
        var e = new byte[Arch.SlotCount];
        var d = new byte[Arch.StageCount];
        for (var i = 0; i < Arch.SlotCount; i++)
        {
            ks[i] = random.NextDouble() < 0.5 ? a.KernelSizes[i] : b.KernelSizes[i];
        }

        for (var i = 0; i < Arch.SlotCount; i++)
        {
            e[i] = random.NextDouble() < 0.5 ? a.ExpandRatios[i] : b.ExpandRatios[i];
        }

        for (var i = 0; i < Arch.StageCount; i++)
        {
            d[i] = random.NextDouble() < 0.5 ? a.Depths[i] : b.Depths[i];
        }

        var r = random.NextDouble() < 0.5 ? a.Resolution : b.Resolution;
        return Arch.CreateTrusted(ks, e, d, r);
    }
}
