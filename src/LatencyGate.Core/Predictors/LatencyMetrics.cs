using LatencyGate.Statistics;

namespace LatencyGate.Predictors;

/// <summary>How well predictions match measurements: errors in ms, MAPE and within-±10 % in percent, rank correlations.</summary>
internal sealed record LatencyMetrics(int Count, double MaeMs, double RmseMs, double MapePct, double Within10Pct, double Spearman, double Kendall)
{
    public static LatencyMetrics Compute(IReadOnlyList<double> predicted, IReadOnlyList<double> measured)
    {
        if (predicted.Count != measured.Count || predicted.Count == 0)
        {
            throw new ArgumentException("predictions and measurements must be non-empty and of equal length");
        }

        double abs = 0, sq = 0, pct = 0;
        var within = 0;
        for (var i = 0; i < predicted.Count; i++)
        {
            var d = predicted[i] - measured[i];
            abs += Math.Abs(d);
            sq += d * d;
            var rel = measured[i] > 0 ? Math.Abs(d) / measured[i] : double.PositiveInfinity;
            pct += rel;
            if (rel <= 0.10)
            {
                within++;
            }
        }

        var n = predicted.Count;
        var p = predicted.ToArray();
        var m = measured.ToArray();
        return new LatencyMetrics(
            n, abs / n, Math.Sqrt(sq / n), 100 * pct / n, 100.0 * within / n,
            n > 1 ? RankCorrelation.Spearman(p, m) : double.NaN,
            n > 1 ? RankCorrelation.Kendall(p, m) : double.NaN);
    }

    /// <summary>
    /// The metrics that could not be computed on this data (JSON null, text "n/a"), each with why:
    /// a rank correlation needs two distinct archs and predictions and measurements that vary; sums
    /// of latencies near double's range overflow.
    /// </summary>
    public IReadOnlyDictionary<string, string> Undefined()
    {
        var result = new SortedDictionary<string, string>(StringComparer.Ordinal);
        var rankWhy = Count < 2
            ? "needs at least 2 distinct archs; the data has 1"
            : "undefined when every prediction (or every measurement) is the same";
        void Check(string name, double value, string why)
        {
            if (!double.IsFinite(value))
            {
                result[name] = why;
            }
        }

        const string Overflow = "overflowed: the latencies or predictions are too large to compare";
        Check("mae_ms", MaeMs, Overflow);
        Check("rmse_ms", RmseMs, Overflow);
        Check("mape_pct", MapePct, Overflow);
        Check("spearman", Spearman, rankWhy);
        Check("kendall", Kendall, rankWhy);
        return result;
    }
}
