using LatencyGate.Statistics;

namespace LatencyGate.Predictors;

/// <summary>How well predictions match measurements: errors in ms, MAPE and within-±10 % in percent, rank correlations.</summary>
public sealed record LatencyMetrics(int Count, double MaeMs, double RmseMs, double MapePct, double Within10Pct, double Spearman, double Kendall)
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
}
