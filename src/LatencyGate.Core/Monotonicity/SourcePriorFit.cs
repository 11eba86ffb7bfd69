using System.Globalization;
using System.Security.Cryptography;
using LatencyGate.Diagnostics;

namespace LatencyGate.Monotonicity;

/// <summary>
/// <c>fit --space S --data SOURCES.csv --columns A,B,… --out PRIOR</c> as a host-free call: the CSV's archs
/// (an <c>arch</c>/<c>arch_str</c> column or OFA's flat columns) and one latency column per source device
/// give a <see cref="SourcePrior"/> (empty cells: not measured on that device).
/// </summary>
internal static class SourcePriorFit
{
    /// <summary>Fewest measured archs per source: a structure model on fewer says little.</summary>
    public const int MinimumPerSource = 5;

    public sealed record Outcome(SourcePrior Prior, string Sha256, int Rows, IReadOnlyList<string> Report);

    public static Outcome Run(string path, string space, Spaces.OfaSpace? ofaSpace, IReadOnlyList<string> sourceColumns)
    {
        ArgumentNullException.ThrowIfNull(sourceColumns);
        if (sourceColumns.Count == 0)
        {
            throw new LatencyGateException(TransferErrors.BadSourcePriorFit, "--columns must name at least one latency column (one per source device)");
        }

        var table = MeasurementTable.Read(path);
        var arch = Archs(table, space, ofaSpace);

        var latency = sourceColumns.Select(table.Latencies).ToArray();
        return Fit(space, sourceColumns, arch.Structural, arch.Tiers, latency, [path], p => new SourceLocation(path, 1, table.ColumnIndex(sourceColumns[p]) + 1));
    }

    /// <summary>
    /// <c>fit --space S --data A.csv --data B.csv … --out PRIOR</c>: one source device per measurements CSV (named
    /// by its file name), latency in <paramref name="latencyColumn"/>; archs are matched across files by their
    /// structure features (the same arch written differently is one arch), repeated rows of a file averaged.
    /// </summary>
    public static Outcome RunFiles(IReadOnlyList<string> paths, string space, Spaces.OfaSpace? ofaSpace, string latencyColumn)
    {
        ArgumentNullException.ThrowIfNull(paths);
        var names = paths.Select(p => Path.GetFileNameWithoutExtension(p)).ToArray();
        var duplicate = names.GroupBy(n => n, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new LatencyGateException(TransferErrors.BadSourcePriorFit, $"two --data files are named '{duplicate.Key}'; each file is one source device, named by its file name");
        }

        var keys = new Dictionary<string, int>(StringComparer.Ordinal);
        var structural = new List<double[]>();
        var sums = new List<Dictionary<int, (double Sum, int Count)>>();
        IReadOnlyList<int>? tiers = null;
        foreach (var path in paths)
        {
            var table = MeasurementTable.Read(path);
            var arch = Archs(table, space, ofaSpace);
            tiers ??= arch.Tiers;
            var latency = table.Latencies(latencyColumn);
            var perRow = new Dictionary<int, (double Sum, int Count)>();
            for (var i = 0; i < table.RowCount; i++)
            {
                if (!double.IsFinite(latency[i]))
                {
                    continue;
                }

                var key = string.Join(',', arch.Structural[i].Select(v => v.ToString("R", CultureInfo.InvariantCulture)));
                if (!keys.TryGetValue(key, out var row))
                {
                    row = structural.Count;
                    keys[key] = row;
                    structural.Add(arch.Structural[i]);
                }

                var (sum, count) = perRow.GetValueOrDefault(row);
                perRow[row] = (sum + latency[i], count + 1);
            }

            sums.Add(perRow);
        }

        double[][] columns = [.. sums.Select(perRow => Enumerable.Range(0, structural.Count).Select(r => perRow.TryGetValue(r, out var v) ? v.Sum / v.Count : double.NaN).ToArray())];
        return Fit(space, names, structural, tiers, columns, paths, s => new SourceLocation(paths[s], 1, 1));
    }

    private static ArchFeatureSet Archs(MeasurementTable table, string space, Spaces.OfaSpace? ofaSpace)
    {
        var arch = ArchColumnReader.Read(table, ofaSpace)
            ?? throw new LatencyGateException(TransferErrors.BadSourcePriorFit, "a source prior needs the archs: an 'arch' or 'arch_str' column, or OFA's flat columns r,d0..d4,ks0..ks19,e0..e19", new SourceLocation(table.Path, 1, 1));
        return string.Equals(arch.Space, space, StringComparison.Ordinal)
            ? arch
            : throw new LatencyGateException(TransferErrors.BadSourcePriorFit, $"the archs of {table.Path} are {arch.Space} archs, not {space}", new SourceLocation(table.Path, 2, 1));
    }

    private static Outcome Fit(string space, IReadOnlyList<string> sourceNames, IReadOnlyList<double[]> structuralAll, IReadOnlyList<int>? tiers, IReadOnlyList<double[]> latency, IReadOnlyList<string> paths, Func<int, SourceLocation> where)
    {
        int[] rows = [.. Enumerable.Range(0, structuralAll.Count).Where(i => latency.Any(c => double.IsFinite(c[i])))];
        for (var s = 0; s < latency.Count; s++)
        {
            var measured = rows.Count(i => double.IsFinite(latency[s][i]));
            if (measured < MinimumPerSource)
            {
                throw new LatencyGateException(TransferErrors.BadSourcePriorFit, string.Create(CultureInfo.InvariantCulture, $"source '{sourceNames[s]}' has {measured} measured arch(s); a source device needs at least {MinimumPerSource}"), where(s));
            }
        }

        var prior = SourcePrior.Fit(space, sourceNames, [.. rows.Select(i => structuralAll[i])], tiers, [.. latency.Select(c => rows.Select(i => c[i]).ToArray())]);
        // One file: its hash; several: the hash of their hashes in order, so any changed byte changes it.
        var hashes = paths.Select(p => SHA256.HashData(File.ReadAllBytes(p))).ToArray();
        var sha = Convert.ToHexStringLower(hashes.Length == 1 ? hashes[0] : SHA256.HashData([.. hashes.SelectMany(h => h)]));
        var report = new List<string>
        {
            string.Create(CultureInfo.InvariantCulture, $"source prior over {sourceNames.Count} device(s) on {rows.Length} archs of {string.Join(", ", paths)}: ") + string.Join(", ", sourceNames.Select((c, s) => string.Create(CultureInfo.InvariantCulture, $"{c} ({prior.TrainCounts[s]} archs)"))),
            string.Create(CultureInfo.InvariantCulture, $"one structure ridge model per device over {prior.RowLength - sourceNames.Count} structure features; adapt it with: fit --base PRIOR --data TARGET.csv [--shots K] (auto uses {ProxyAdapters.Best.Name}); choose the target's archs with: sample --base PRIOR"),
        };
        return new Outcome(prior, sha, rows.Length, report);
    }
}
