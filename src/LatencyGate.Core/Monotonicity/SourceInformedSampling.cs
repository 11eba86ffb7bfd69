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

        var latency = sourceColumns.Select(table.Numbers).ToArray();
        var arch = ArchColumnReader.Read(table)
            ?? throw new LatencyGateException(MonotonicityErrors.BadCsv, "sample --data needs the archs: an 'arch' or 'arch_str' column, or OFA's flat columns r,d0..d4,ks0..ks19,e0..e19", new SourceLocation(table.Path, 1, 1));
        int[] rows = [.. Enumerable.Range(0, table.RowCount).Where(i => latency.All(c => !double.IsNaN(c[i])))];
        if (rows.Length < Math.Max(count, 5))
        {
            throw new LatencyGateException(MonotonicityErrors.TooLittleData, string.Create(CultureInfo.InvariantCulture, $"only {rows.Length} rows are measured on every source column; sample --data needs at least {Math.Max(count, 5)} (5, and --count)"), new SourceLocation(table.Path, 1, 1));
        }

        var pool = AdaptationPool.ForSources(
            [.. rows.Select(i => arch.OneHot[i])],
            [.. rows.Select(i => arch.Structural[i])],
            arch.Tiers,
            [.. latency.Select(c => rows.Select(i => c[i]).ToArray())],
            [.. Enumerable.Range(0, rows.Length)]);
        var chosen = ShotSelection.Best.Select(pool, [.. Enumerable.Range(0, rows.Length)], count, new SeededRandom(seed));
        return [.. chosen.Select(j => rows[j])];
    }
}
