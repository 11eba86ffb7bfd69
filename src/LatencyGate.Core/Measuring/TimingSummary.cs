using LatencyGate.Randomness;
using LatencyGate.Spaces;

namespace LatencyGate.Measuring;

/// <summary>Turns the passes of one arch into an <see cref="ArchMeasurement"/>.</summary>
internal static class TimingSummary
{
    private const int BootstrapResamples = 1000;

    /// <summary>
    /// Summarises the passes; with an anchored protocol <paramref name="referenceMs"/> is the reference
    /// network's typical latency (its median over the file): each run is divided by the reference run
    /// next to it and multiplied by it (NaN for raw runs).
    /// </summary>
    public static ArchMeasurement Summarize(Arch arch, IReadOnlyList<PassTiming> passes, MeasurementProtocol protocol, int retries, double referenceMs = double.NaN)
    {
        ArgumentNullException.ThrowIfNull(arch);
        ArgumentNullException.ThrowIfNull(passes);
        ArgumentNullException.ThrowIfNull(protocol);
        if (passes.Count == 0)
        {
            throw new ArgumentException("no passes", nameof(passes));
        }

        var samples = passes.SelectMany(p => p.Latencies(protocol.Clock, referenceMs)).ToArray();
        Array.Sort(samples);
        var median = Quantile(samples, 0.5);
        var passMedians = passes.Select(p => Median(p.Latencies(protocol.Clock, referenceMs))).ToArray();
        var (low, high) = BootstrapMedian(samples, protocol.Seed ^ arch.Fingerprint.A);
        low = Math.Min(low, passMedians.Min());
        high = Math.Max(high, passMedians.Max());
        var spread = passMedians.Length < 2 ? 0 : 100 * (passMedians.Max() - passMedians.Min()) / median;
        return new ArchMeasurement(
            arch,
            median,
            Median(passes.SelectMany(p => p.CpuMs)),
            Median(passes.SelectMany(p => p.WallMs)),
            Quantile(samples, 0.25),
            Quantile(samples, 0.75),
            low,
            high,
            spread,
            samples.Length,
            passes.Count,
            retries,
            IsUnstable(low, high, median, protocol),
            Median(passes.Select(p => p.PrepareMs)));
    }

    /// <summary>Unstable when the interval's half-width exceeds the tolerance times the median.</summary>
    public static bool IsUnstable(double low, double high, double median, MeasurementProtocol protocol)
    {
        ArgumentNullException.ThrowIfNull(protocol);
        return (high - low) / 2 > protocol.Tolerance * median;
    }

    public static double Median(IEnumerable<double> values)
    {
        var sorted = values.ToArray();
        Array.Sort(sorted);
        return Quantile(sorted, 0.5);
    }

    /// <summary>Linear-interpolation quantile of sorted values (numpy's default).</summary>
    public static double Quantile(ReadOnlySpan<double> sorted, double q)
    {
        if (sorted.Length == 0)
        {
            return double.NaN;
        }

        var h = (sorted.Length - 1) * q;
        var lo = (int)Math.Floor(h);
        var hi = Math.Min(lo + 1, sorted.Length - 1);
        return sorted[lo] + ((h - lo) * (sorted[hi] - sorted[lo]));
    }

    /// <summary>Percentile bootstrap 95 % interval of the median (seeded: same samples, same interval).</summary>
    private static (double Low, double High) BootstrapMedian(double[] sorted, ulong seed)
    {
        var random = new SeededRandom(seed);
        var medians = new double[BootstrapResamples];
        var resample = new double[sorted.Length];
        for (var b = 0; b < BootstrapResamples; b++)
        {
            for (var i = 0; i < resample.Length; i++)
            {
                resample[i] = sorted[random.NextInt(sorted.Length)];
            }

            Array.Sort(resample);
            medians[b] = Quantile(resample, 0.5);
        }

        Array.Sort(medians);
        return (Quantile(medians, 0.025), Quantile(medians, 0.975));
    }
}
