using System.Globalization;
using LatencyGate.Diagnostics;
using LatencyGate.Randomness;

namespace LatencyGate.Monotonicity;

/// <summary>
/// <c>sample --data CSV --columns A,B,… --count N</c>: which of a CSV's archs to measure on a new device,
/// given the devices already measured on them (the sources). The archs are chosen by
/// <see cref="ShotSelection.Best"/> over the sources' structure models: spread out in the space of the
/// sources' predicted latencies and the arch's op counts and whole-net work, so that a few target
/// measurements pin down how the new device weighs them.
/// </summary>
internal static class SourceInformedSampling
{
    /// <summary>Rows of <paramref name="table"/> (0-based data rows) to measure, in choice order.</summary>
    public static int[] Choose(MeasurementTable table, IReadOnlyList<string> sourceColumns, int count, ulong seed)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(sourceColumns);
        if (sourceColumns.Count == 0)
        {
            throw new LatencyGateException(MonotonicityErrors.TooLittleData, "sample --data needs at least one source device column (--columns)");
        }

        var latency = sourceColumns.Select(table.Latencies).ToArray();
        var arch = ArchColumnReader.Read(table)
            ?? throw new LatencyGateException(MonotonicityErrors.BadCsv, "sample --data needs the archs: an 'arch' or 'arch_str' column, or OFA's flat columns r,d0..d4,ks0..ks19,e0..e19", new SourceLocation(table.Path, 1, 1));
        // One row per distinct arch (the first), so that no arch is proposed twice.
        int[] rows = [.. Enumerable.Range(0, table.RowCount).Where(i => latency.All(c => !double.IsNaN(c[i]))).DistinctBy(i => ArchColumnReader.ArchText(table, i), StringComparer.Ordinal)];
        if (rows.Length < Math.Max(count, 5))
        {
            throw new LatencyGateException(MonotonicityErrors.TooLittleData, string.Create(CultureInfo.InvariantCulture, $"only {rows.Length} distinct archs are measured on every source column; sample --data needs at least {Math.Max(count, 5)} (5, and --count)"), new SourceLocation(table.Path, 1, 1));
        }

        double[][] structural = [.. rows.Select(i => arch.Structural[i])];
        var prior = SourcePrior.Fit(arch.Space, sourceColumns, structural, arch.Tiers, [.. latency.Select(c => rows.Select(i => c[i]).ToArray())]);
        var chosen = Choose(prior, structural, count, seed);
        return [.. chosen.Select(j => rows[j])];
    }

    /// <summary>
    /// Which of the candidate archs (raw structure features <paramref name="structural"/>) to measure, given a
    /// fitted source prior: <see cref="ShotSelection.Best"/> over <see cref="SourcePrior.Pool"/>. Indices into the candidates.
    /// </summary>
    public static int[] Choose(SourcePrior prior, IReadOnlyList<double[]> structural, int count, ulong seed)
    {
        ArgumentNullException.ThrowIfNull(prior);
        ArgumentNullException.ThrowIfNull(structural);
        var pool = prior.Pool(structural);
        return ShotSelection.Best.Select(pool, [.. Enumerable.Range(0, structural.Count)], count, new SeededRandom(seed));
    }
}
