namespace LatencyGate.Measuring;

/// <summary>
/// One pass over one arch: the timed runs (CPU and wall, ms) and how long preparing the network took;
/// with an anchored protocol also the reference network's runs, each timed right before the arch's
/// run of the same index (<see cref="RefCpuMs"/>, <see cref="RefWallMs"/>), else null.
/// </summary>
internal sealed record PassTiming(
    int Pass,
    IReadOnlyList<double> CpuMs,
    IReadOnlyList<double> WallMs,
    double PrepareMs,
    IReadOnlyList<double>? RefCpuMs = null,
    IReadOnlyList<double>? RefWallMs = null)
{
    public bool Anchored => RefCpuMs is not null && RefWallMs is not null;

    public IReadOnlyList<double> Samples(TimingClock clock) => clock == TimingClock.Cpu ? CpuMs : WallMs;

    public IReadOnlyList<double>? RefSamples(TimingClock clock) => clock == TimingClock.Cpu ? RefCpuMs : RefWallMs;

    /// <summary>The reference's median over every anchored pass of <paramref name="journal"/> (its typical latency); NaN when none is anchored.</summary>
    public static double ReferenceMedian(IReadOnlyDictionary<Spaces.Arch, List<PassTiming>> journal, TimingClock clock)
    {
        ArgumentNullException.ThrowIfNull(journal);
        return TimingSummary.Median(journal.Values.SelectMany(list => list).SelectMany(t => t.RefSamples(clock) ?? []));
    }

    /// <summary>
    /// The samples a latency is summarised from: the raw runs, or with a reference each run divided by
    /// the reference run next to it and multiplied by <paramref name="referenceMs"/> (the reference's
    /// typical latency), which cancels a slowdown of the machine shared by both runs.
    /// </summary>
    public double[] Latencies(TimingClock clock, double referenceMs)
    {
        var samples = Samples(clock);
        var reference = RefSamples(clock);
        if (reference is null || !double.IsFinite(referenceMs))
        {
            return [.. samples];
        }

        var result = new double[samples.Count];
        for (var i = 0; i < result.Length; i++)
        {
            result[i] = referenceMs * samples[i] / Math.Max(reference[i], 1e-9);
        }

        return result;
    }
}
