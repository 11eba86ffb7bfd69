namespace LatencyGate.Benchmarks.Transfer;

/// <summary>accuracy.json rows of transfer cells: one per (task, target, shots, method, selector), then means.</summary>
internal static class TransferRows
{
    /// <param name="tasks">The tasks whose mean is the overall row (cells of other tasks get their own task rows only).</param>
    public static IEnumerable<AccuracyRow> From(string benchmark, IReadOnlyList<TransferCell> cells, IReadOnlyList<TransferTask> tasks, string overall = "all/mean")
    {
        foreach (var c in cells)
        {
            var sorted = c.Spearman.Order().ToArray();
            yield return Row(benchmark, c.Method, c.Selector, $"{c.Task}/{c.Target}", c.Shots, c.NTest, c.Median, c.Seconds, c.Protocol, new Dictionary<string, object>
            {
                ["draws"] = sorted.Length,
                ["min"] = sorted[0],
                ["p10"] = sorted[(int)(0.1 * (sorted.Length - 1))],
                ["p90"] = sorted[(int)Math.Ceiling(0.9 * (sorted.Length - 1))],
            });
        }

        foreach (var g in cells.GroupBy(c => (c.Protocol, c.Method, c.Selector, c.Shots)))
        {
            foreach (var t in g.Select(c => c.Task).Distinct())
            {
                var inTask = g.Where(c => c.Task == t).ToArray();
                if (inTask.Length > 0)
                {
                    yield return Row(benchmark, g.Key.Method, g.Key.Selector, $"{t}/mean", g.Key.Shots, inTask.Sum(c => c.NTest), inTask.Average(c => c.Median), inTask.Sum(c => c.Seconds), g.Key.Protocol, new Dictionary<string, object> { ["stat"] = "mean over test devices of the median over draws" });
                }
            }

            var taskMeans = tasks.Select(t => g.Where(c => c.Task == t.Name).ToArray()).Where(a => a.Length > 0).Select(a => a.Average(c => c.Median)).ToArray();
            var counted = g.Where(c => tasks.Any(t => t.Name == c.Task)).ToArray();
            yield return Row(benchmark, g.Key.Method, g.Key.Selector, overall, g.Key.Shots, counted.Sum(c => c.NTest), taskMeans.Average(), counted.Sum(c => c.Seconds), g.Key.Protocol, new Dictionary<string, object>
            {
                ["stat"] = "mean over tasks of the task means",
                ["tasks"] = taskMeans.Length,
                ["min_task"] = taskMeans.Min(),
            });
        }
    }

    private static AccuracyRow Row(string benchmark, string method, string selector, string device, int shots, int n, double spearman, double seconds, TransferProtocol protocol, Dictionary<string, object> extra)
    {
        extra["protocol"] = protocol == TransferProtocol.Nasflat ? "nasflat" : "help";
        extra["selector"] = selector;
        return new AccuracyRow(benchmark, method, device, shots, n, double.NaN, double.NaN, double.NaN, double.NaN, spearman, double.NaN, seconds) { Extra = extra };
    }
}
