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
        var arch = ArchColumnReader.Read(table, ofaSpace)
            ?? throw new LatencyGateException(TransferErrors.BadSourcePriorFit, "a source prior needs the archs: an 'arch' or 'arch_str' column, or OFA's flat columns r,d0..d4,ks0..ks19,e0..e19", new SourceLocation(path, 1, 1));
        if (!string.Equals(arch.Space, space, StringComparison.Ordinal))
        {
            throw new LatencyGateException(TransferErrors.BadSourcePriorFit, $"the archs of {path} are {arch.Space} archs, not {space}", new SourceLocation(path, 2, 1));
        }

        var latency = sourceColumns.Select(table.Numbers).ToArray();
        int[] rows = [.. Enumerable.Range(0, table.RowCount).Where(i => latency.Any(c => double.IsFinite(c[i])))];
        for (var s = 0; s < latency.Length; s++)
        {
            var measured = rows.Count(i => double.IsFinite(latency[s][i]));
            if (measured < MinimumPerSource)
            {
                throw new LatencyGateException(TransferErrors.BadSourcePriorFit, string.Create(CultureInfo.InvariantCulture, $"column '{sourceColumns[s]}' has {measured} measured arch(s); a source device needs at least {MinimumPerSource}"), new SourceLocation(path, 1, table.ColumnIndex(sourceColumns[s]) + 1));
            }
        }

        var prior = SourcePrior.Fit(space, sourceColumns, [.. rows.Select(i => arch.Structural[i])], arch.Tiers, [.. latency.Select(c => rows.Select(i => c[i]).ToArray())]);
        var sha = Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(path)));
        var report = new List<string>
        {
            string.Create(CultureInfo.InvariantCulture, $"source prior over {sourceColumns.Count} device(s) on {rows.Length} archs of {path}: ") + string.Join(", ", sourceColumns.Select((c, s) => string.Create(CultureInfo.InvariantCulture, $"{c} ({prior.TrainCounts[s]} archs)"))),
            string.Create(CultureInfo.InvariantCulture, $"one structure ridge model per device over {prior.RowLength - sourceColumns.Count} structure features; adapt it with: fit --base PRIOR --data TARGET.csv [--shots K] (auto uses {ProxyAdapters.Best.Name}); choose the target's archs with: sample --base PRIOR"),
        };
        return new Outcome(prior, sha, rows.Length, report);
    }
}
