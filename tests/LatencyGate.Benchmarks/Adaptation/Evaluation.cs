using LatencyGate.Predictors;
using LatencyGate.Statistics;

namespace LatencyGate.Benchmarks.Adaptation;

/// <summary>Accuracy, interval and gate figures of one predictor on one test set.</summary>
internal sealed record Evaluation(
    double Mae,
    double Rmse,
    double Mape,
    double Within10,
    double Spearman,
    double Kendall,
    double FitSeconds,
    double Coverage90 = double.NaN,
    double Coverage95 = double.NaN,
    double FalsePass = double.NaN,
    double FalseFail = double.NaN)
{
    public static Evaluation Of(double[] predicted, double[] measured, double fitSeconds)
    {
        double ae = 0, se = 0, ape = 0, within = 0;
        for (var i = 0; i < measured.Length; i++)
        {
            var err = predicted[i] - measured[i];
            ae += Math.Abs(err);
            se += err * err;
            var rel = Math.Abs(err) / measured[i];
            ape += rel;
            within += rel <= 0.10 ? 1 : 0;
        }

        var n = measured.Length;
        return new Evaluation(ae / n, Math.Sqrt(se / n), 100 * ape / n, 100 * within / n, RankCorrelation.Spearman(predicted, measured), RankCorrelation.Kendall(predicted, measured), fitSeconds);
    }

    /// <summary>Adds interval coverage at 90/95 % and the gate at confidence 0.95 with the budget at the median measured latency.</summary>
    public Evaluation WithIntervals(ILatencyPredictor predictor, LatencyGate.Spaces.Arch[] archs, double[] measured)
    {
        var e90 = new LatencyEstimate[archs.Length];
        var e95 = new LatencyEstimate[archs.Length];
        predictor.PredictWithInterval(archs, 0.90, e90);
        predictor.PredictWithInterval(archs, 0.95, e95);
        var sorted = measured.Order().ToArray();
        var budget = sorted[sorted.Length / 2];
        double c90 = 0, c95 = 0, over = 0, under = 0, falsePass = 0, falseFail = 0;
        for (var i = 0; i < measured.Length; i++)
        {
            c90 += measured[i] >= e90[i].LowerMs && measured[i] <= e90[i].UpperMs ? 1 : 0;
            c95 += measured[i] >= e95[i].LowerMs && measured[i] <= e95[i].UpperMs ? 1 : 0;
            var pass = e95[i].UpperMs <= budget;
            if (measured[i] > budget)
            {
                over++;
                falsePass += pass ? 1 : 0;
            }
            else
            {
                under++;
                falseFail += pass ? 0 : 1;
            }
        }

        var n = measured.Length;
        return this with
        {
            Coverage90 = 100 * c90 / n,
            Coverage95 = 100 * c95 / n,
            FalsePass = over > 0 ? 100 * falsePass / over : 0,
            FalseFail = under > 0 ? 100 * falseFail / under : 0,
        };
    }

    public static Evaluation Median(IReadOnlyList<Evaluation> runs)
    {
        double M(Func<Evaluation, double> f)
        {
            var v = runs.Select(f).Where(x => !double.IsNaN(x)).Order().ToArray();
            return v.Length == 0 ? double.NaN : v.Length % 2 == 1 ? v[v.Length / 2] : 0.5 * (v[(v.Length / 2) - 1] + v[v.Length / 2]);
        }

        return new Evaluation(M(e => e.Mae), M(e => e.Rmse), M(e => e.Mape), M(e => e.Within10), M(e => e.Spearman), M(e => e.Kendall), M(e => e.FitSeconds), M(e => e.Coverage90), M(e => e.Coverage95), M(e => e.FalsePass), M(e => e.FalseFail));
    }

    public AccuracyRow ToRow(string task, string method, string device, int shots, int nTest, IReadOnlyDictionary<string, object>? extra = null)
    {
        var all = new Dictionary<string, object>(StringComparer.Ordinal);
        if (extra is not null)
        {
            foreach (var kv in extra)
            {
                all[kv.Key] = kv.Value;
            }
        }

        if (!double.IsNaN(Coverage90))
        {
            all["coverage90_pct"] = Math.Round(Coverage90, 2);
            all["coverage95_pct"] = Math.Round(Coverage95, 2);
            all["false_pass_pct"] = Math.Round(FalsePass, 2);
            all["false_fail_pct"] = Math.Round(FalseFail, 2);
        }

        return new AccuracyRow(task, method, device, shots, nTest, Mae, Rmse, Mape, Within10, Spearman, Kendall, FitSeconds)
        {
            Extra = all.Count > 0 ? all : null,
        };
    }
}
