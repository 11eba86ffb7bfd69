using System.Globalization;
using System.Text;
using LatencyGate.Diagnostics;
using LatencyGate.Files;
using LatencyGate.Randomness;
using LatencyGate.Statistics;

namespace LatencyGate.Monotonicity;

/// <summary>
/// <c>fit --space fbnet|nasbench201 --data TARGET.csv --base SOURCES.csv --columns A,B,… --out PREDICTED.csv</c>:
/// adapts the source devices' measurements (the base) to a new device from its few measurements with
/// <see cref="ProxyAdapters.Best"/> (the nasflat-fbnet method: <see cref="SourcePrior.Fit"/> on the
/// sources, <see cref="SourcePrior.Adapt"/> on the shots, the calls the benchmark makes), and predicts
/// every arch of either CSV.
/// These spaces have no predictor files (those are OFA's), so the output is the predictions themselves.
/// </summary>
internal static class SourceTransferFit
{
    public static readonly IReadOnlyList<string> Spaces = ["fbnet", "nasbench201"];

    /// <summary>Every arch of the sources CSV, then the target's archs that are not in it, with its prediction.</summary>
    public sealed record Outcome(IReadOnlyList<string> Archs, IReadOnlyList<double> PredictedMs, IReadOnlyList<string> Report);

    public static Outcome Run(string space, MeasurementTable sources, IReadOnlyList<string> sourceColumns, MeasurementTable target, string latencyColumn, int? shots, ulong seed)
    {
        ArgumentNullException.ThrowIfNull(sources);
        ArgumentNullException.ThrowIfNull(sourceColumns);
        ArgumentNullException.ThrowIfNull(target);
        if (sourceColumns.Count == 0)
        {
            throw new LatencyGateException(MonotonicityErrors.BadTransferFit, $"fit --space {space} --base CSV needs --columns naming the source devices' latency columns in {sources.Path}");
        }

        var sourceLatency = sourceColumns.Select(sources.Latencies).ToArray();
        var targetLatency = target.Latencies(latencyColumn);
        var sourceArchs = Features(space, sources);
        var targetArchs = Features(space, target);

        // The pool: every source arch, then target archs the sources do not have (keyed by encoding).
        var keys = new Dictionary<string, int>(StringComparer.Ordinal);
        var oneHot = new List<double[]>();
        var structural = new List<double[]>();
        var archText = new List<string>();
        for (var i = 0; i < sources.RowCount; i++)
        {
            if (keys.TryAdd(Key(sourceArchs.OneHot[i]), oneHot.Count))
            {
                oneHot.Add(sourceArchs.OneHot[i]);
                structural.Add(sourceArchs.Structural[i]);
                archText.Add(ArchColumnReader.ArchText(sources, i));
            }
        }

        var sourceCount = oneHot.Count;
        var measured = new Dictionary<int, List<double>>();
        for (var i = 0; i < target.RowCount; i++)
        {
            if (double.IsNaN(targetLatency[i]))
            {
                continue;
            }

            var key = Key(targetArchs.OneHot[i]);
            if (!keys.TryGetValue(key, out var row))
            {
                row = oneHot.Count;
                keys[key] = row;
                oneHot.Add(targetArchs.OneHot[i]);
                structural.Add(targetArchs.Structural[i]);
                archText.Add(ArchColumnReader.ArchText(target, i));
            }

            if (!measured.TryGetValue(row, out var values))
            {
                values = [];
                measured[row] = values;
            }

            values.Add(targetLatency[i]);
        }

        if (measured.Count < 3)
        {
            throw new LatencyGateException(MonotonicityErrors.TooLittleData, string.Create(CultureInfo.InvariantCulture, $"{target.Path} has {measured.Count} measured arch(s) in column '{latencyColumn}'; adapting needs at least 3"), new SourceLocation(target.Path, 1, 1));
        }

        // Source values per pool row (by key, the first source row of an arch), NaN where a source lacks the arch.
        var columns = sourceLatency.Select(_ => Enumerable.Repeat(double.NaN, oneHot.Count).ToArray()).ToArray();
        for (var i = sources.RowCount - 1; i >= 0; i--)
        {
            var row = keys[Key(sourceArchs.OneHot[i])];
            for (var s = 0; s < columns.Length; s++)
            {
                columns[s][row] = sourceLatency[s][i];
            }
        }

        var prior = SourcePrior.Fit(space, sourceColumns, [.. structural.Take(sourceCount)], sourceArchs.Tiers, [.. columns.Select(c => c[..sourceCount])]);
        int[] order = [.. measured.Keys.Order()];
        new SeededRandom(seed).Shuffle(order.AsSpan());
        var k = Math.Min(shots ?? order.Length, order.Length);
        if (k < 3)
        {
            throw new LatencyGateException(MonotonicityErrors.TooLittleData, "--shots must leave at least 3 measurements to adapt on");
        }

        var shotRows = order[..k];
        var heldOut = order[k..];
        double Mean(int row) => measured[row].Average();
        var predicted = prior.Adapt([.. shotRows.Select(r => structural[r])], [.. shotRows.Select(Mean)]).PredictAll(structural);
        var report = new List<string>
        {
            string.Create(CultureInfo.InvariantCulture, $"{ProxyAdapters.Best.Name}: {sourceColumns.Count} source device(s) ({string.Join(", ", sourceColumns)}) on {sourceCount} archs of {sources.Path}, {k} target measurement(s) as shots (seed {seed}) of {order.Length}"),
        };
        if (heldOut.Length >= 2)
        {
            double[] p = [.. heldOut.Select(r => predicted[r])];
            double[] y = [.. heldOut.Select(Mean)];
            var mae = p.Zip(y, (a, b) => Math.Abs(a - b)).Average();
            report.Add(string.Create(CultureInfo.InvariantCulture, $"on the {heldOut.Length} measurements not used as shots: Spearman {RankCorrelation.Spearman(p, y):F4}, MAE {mae:F4} ms"));
        }

        return new Outcome(archText, predicted, report);
    }

    /// <summary>The outcome as CSV text: <c>arch,predicted_ms</c>, archs quoted when they hold a comma.</summary>
    public static string ToCsv(Outcome outcome)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        var sb = new StringBuilder("arch,predicted_ms\n");
        for (var i = 0; i < outcome.Archs.Count; i++)
        {
            sb.Append(Csv.Field(outcome.Archs[i])).Append(',').Append(outcome.PredictedMs[i].ToString("R", CultureInfo.InvariantCulture)).Append('\n');
        }

        return sb.ToString();
    }

    private static ArchFeatureSet Features(string space, MeasurementTable table)
    {
        var set = ArchColumnReader.Read(table)
            ?? throw new LatencyGateException(MonotonicityErrors.BadCsv, "no arch column: an 'arch' or 'arch_str' column is needed", new SourceLocation(table.Path, 1, 1));
        if (set.Space != space)
        {
            throw new LatencyGateException(MonotonicityErrors.BadTransferFit, $"the archs of {table.Path} are {set.Space} archs, not {space}", new SourceLocation(table.Path, 2, 1));
        }

        return set;
    }

    private static string Key(double[] oneHot) => string.Join(',', Enumerable.Range(0, oneHot.Length).Where(j => oneHot[j] != 0));
}
