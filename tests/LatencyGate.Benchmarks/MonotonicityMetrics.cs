using LatencyGate.Statistics;

namespace LatencyGate.Benchmarks;

/// <summary>Error and rank figures of predictions against measurements, for accuracy rows of the monotonicity tasks.</summary>
internal sealed record MonotonicityMetrics(double Mae, double Rmse, double Mape, double Within10, double Spearman, double Kendall)
{
    public static MonotonicityMetrics Of(IReadOnlyList<double> predicted, IReadOnlyList<double> measured)
    {
        var n = predicted.Count;
        double ae = 0, se = 0, ape = 0, within = 0;
        for (var i = 0; i < n; i++)
        {
            var d = predicted[i] - measured[i];
            ae += Math.Abs(d);
            se += d * d;
            ape += Math.Abs(d) / measured[i];
            within += Math.Abs(d) <= 0.1 * measured[i] ? 1 : 0;
        }

        var p = predicted.ToArray();
        var m = measured.ToArray();
        return new MonotonicityMetrics(ae / n, Math.Sqrt(se / n), 100 * ape / n, 100 * within / n, RankCorrelation.Spearman(p, m), RankCorrelation.Kendall(p, m));
    }

    /// <summary>Median Spearman and Kendall over runs, mean of the error figures.</summary>
    public static MonotonicityMetrics Summarize(IReadOnlyList<MonotonicityMetrics> runs) => new(
        runs.Average(r => r.Mae),
        runs.Average(r => r.Rmse),
        runs.Average(r => r.Mape),
        runs.Average(r => r.Within10),
        Median(runs.Select(r => r.Spearman)),
        Median(runs.Select(r => r.Kendall)));

    public static double Median(IEnumerable<double> values)
    {
        var v = values.Order().ToArray();
        return v.Length == 0 ? double.NaN : v.Length % 2 == 1 ? v[v.Length / 2] : 0.5 * (v[(v.Length / 2) - 1] + v[v.Length / 2]);
    }
}
