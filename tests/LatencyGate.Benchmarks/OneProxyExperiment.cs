using System.Diagnostics;
using LatencyGate.Monotonicity;
using LatencyGate.Randomness;
using LatencyGate.Spaces.NasBench201;

namespace LatencyGate.Benchmarks;

/// <summary>The OneProxy protocol on a NAS-Bench-201 measurements table (shared by the benchmark and, in small form, the tests).</summary>
internal static class OneProxyExperiment
{
    public const double Threshold = 0.9;

    public sealed record Cell(string Method, string Device, int NTest, MonotonicityMetrics Metrics, double FitSeconds);

    public sealed record Result(int Shots, int Seeds, IReadOnlyList<Cell> Cells)
    {
        public IEnumerable<AccuracyRow> ToRows(string task)
        {
            foreach (var c in Cells)
            {
                yield return new AccuracyRow(task, c.Method, c.Device, Shots, c.NTest, c.Metrics.Mae, c.Metrics.Rmse, c.Metrics.Mape, c.Metrics.Within10, c.Metrics.Spearman, c.Metrics.Kendall, c.FitSeconds)
                {
                    Extra = new Dictionary<string, object> { ["seeds"] = Seeds, ["stat"] = "median SRCC over seeds" },
                };
            }

            foreach (var group in Cells.GroupBy(c => c.Method))
            {
                var reached = group.Count(c => c.Metrics.Spearman >= Threshold);
                yield return new AccuracyRow(task, group.Key, "summary", Shots, group.Sum(c => c.NTest), double.NaN, double.NaN, double.NaN, double.NaN, group.Average(c => c.Metrics.Spearman), group.Average(c => c.Metrics.Kendall), group.Sum(c => c.FitSeconds))
                {
                    Extra = new Dictionary<string, object>
                    {
                        ["targets"] = group.Count(),
                        ["targets_srcc_ge_0_9"] = reached,
                        ["min_srcc"] = group.Min(c => c.Metrics.Spearman),
                    },
                };
            }
        }

        public int Reached(string method) => Cells.Count(c => c.Method == method && c.Metrics.Spearman >= Threshold);
    }

    public static Result Run(MeasurementTable table, string proxyColumn, int shots, int seeds, IReadOnlyList<IProxyAdapter> methods, IReadOnlyList<string>? targets)
    {
        var cells = table.Text("arch_str").Select(s => Nb201Cell.Parse(s)).ToArray();
        var pool = AdaptationPool.ForProxy(
            [.. cells.Select(Nb201Features.OneHot)],
            [.. cells.Select(Nb201Features.Structural)],
            table.Numbers(proxyColumn),
            Nb201Features.StructuralTier);
        targets ??= [.. table.Header.Where(h => h.EndsWith("_ms", StringComparison.Ordinal) && h != proxyColumn)];
        var results = new List<Cell>();
        foreach (var target in targets)
        {
            var y = table.Numbers(target);
            var available = Enumerable.Range(0, y.Length).Where(i => !double.IsNaN(y[i]) && !double.IsNaN(pool.ProxyLatency[i])).ToArray();
            foreach (var method in methods)
            {
                var runs = new List<MonotonicityMetrics>();
                var watch = Stopwatch.StartNew();
                for (var seed = 0; seed < seeds; seed++)
                {
                    var random = new SeededRandom((ulong)seed);
                    var order = available.ToArray();
                    random.Shuffle(order.AsSpan());
                    var shotRows = order[..shots];
                    var test = order[shots..];
                    var predicted = method.Adapt(pool, shotRows, [.. shotRows.Select(i => y[i])]);
                    runs.Add(MonotonicityMetrics.Of([.. test.Select(i => predicted[i])], [.. test.Select(i => y[i])]));
                }

                results.Add(new Cell(method.Name, target, available.Length - shots, MonotonicityMetrics.Summarize(runs), watch.Elapsed.TotalSeconds));
            }
        }

        return new Result(shots, seeds, results);
    }
}
