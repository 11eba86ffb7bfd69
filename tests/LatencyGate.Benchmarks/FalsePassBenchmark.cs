using System.Globalization;
using LatencyGate.Adaptation;
using LatencyGate.Benchmarks.Adaptation;
using LatencyGate.Predictors;
using LatencyGate.Predictors.Intervals;
using LatencyGate.Randomness;
using LatencyGate.Spaces;

namespace LatencyGate.Benchmarks;

/// <summary>
/// How often the gate passes a network that is in truth over budget, on device settings no
/// predictor was trained on. Each of HELP's 12 OFA GPU settings is the target in turn; the base is
/// <c>fit</c> with its defaults (the CLI's call) on another GPU at the same batch size, archs
/// 0–3,999. A draw measures K random archs of the target among 4,000–4,999 and adapts the base to
/// them exactly as <c>fit --base B --strategy auto</c> with every measurement a shot (and the
/// manifest's <c>proxy</c>) do: <see cref="AdaptationRun.Run"/>, intervals cross-conformal on the
/// shots. The gate then judges the target's other archs at confidence 0.95 on the upper bound, with
/// budgets at the 25th, 50th and 75th percentile of the target's latencies over 4,000–4,999. A false
/// pass: upper bound within budget, measured latency over it; the rate is per archs over budget.
/// Both promises of <see cref="ConformalPredictor"/> are gated from the same adapted predictor:
/// marginal (what the gate did before) and with calibration confidence 0.9. The seed paper's two
/// GPUs (RTX 2080 Ti and Tesla P40, batch 64, OFA w1.0) are targets too, each with the other as base;
/// the pooled rows are over HELP's 12 settings.
/// <para>
/// Intervals: archs of one draw share one calibration, so they are not independent trials. The pooled
/// rate's Clopper–Pearson interval is therefore taken on an effective count (Kish: the arch count
/// divided by the design effect measured between draws); the share of draws whose own false-pass rate
/// exceeds 5 % (the with-confidence promise's failure rate) gets an exact Clopper–Pearson interval,
/// draws being independent.
/// </para>
/// </summary>
internal sealed class FalsePassBenchmark : IAccuracyBenchmark
{
    // The protocol's settings, shared with its development split (FalsePassDevBenchmark).
    internal const double Confidence = 0.95;
    internal const double CalibrationConfidence = 0.9;
    internal const ulong CliSeed = 1;
    internal static readonly int[] ShotCounts = [10, 20, 50];
    internal static readonly string[] Gpus = ["2080ti", "titan_rtx", "titan_xp", "v100"];
    internal static readonly int[] Batches = [1, 32, 64];
    private const int TrainEnd = 4000;
    private const int PoolEnd = 5000;
    private static readonly int[] BudgetPercentiles = [25, 50, 75];

    /// <summary>Draws per setting and shot count (LG_BENCH_FALSE_PASS_DRAWS overrides, for a quicker look).</summary>
    internal static int Draws => int.TryParse(Environment.GetEnvironmentVariable("LG_BENCH_FALSE_PASS_DRAWS"), out var d) && d > 1 ? d : 25;

    public string Name => "false-pass";

    public IEnumerable<AccuracyRow> Run(BenchmarkContext context)
    {
        var help = ReferenceTable.Load(context.DataPath("help", "ofa", "ofa_mbv3_gpu_latency.csv"), OfaSpace.W12);
        var paper = ReferenceTable.Load(context.DataPath("ofanas-perfest", "flat", "ofa_mbv3_paired_3devices.csv"), OfaSpace.W10);
        var settings = new List<Setting>();
        foreach (var batch in Batches)
        {
            for (var g = 0; g < Gpus.Length; g++)
            {
                var target = $"{Gpus[g]}_{batch}";
                var source = $"{Gpus[(g + 1) % Gpus.Length]}_{batch}";
                settings.Add(new Setting(help, OfaSpace.W12, "lat_ms_" + target, "lat_ms_" + source, target, source, IsHelp: true));
            }
        }

        // The seed paper's two GPUs (batch 64, OFA w1.0), each the other's base.
        settings.Add(new Setting(paper, OfaSpace.W10, "lat_rtx2080ti_gpu_bs64_ms", "lat_teslap40_gpu_bs64_ms", "RTX 2080 Ti b64 (seed paper)", "Tesla P40 b64", IsHelp: false));
        settings.Add(new Setting(paper, OfaSpace.W10, "lat_teslap40_gpu_bs64_ms", "lat_rtx2080ti_gpu_bs64_ms", "Tesla P40 b64 (seed paper)", "RTX 2080 Ti b64", IsHelp: false));

        var promises = new double?[] { null, CalibrationConfidence };
        var overall = new Dictionary<(int K, int Promise), List<DrawOutcome>>();
        var draws = Draws;
        context.Log.WriteLine($"   {draws} draws per setting and shot count, {Environment.ProcessorCount} cores (shared, loaded machine)");
        foreach (var setting in settings)
        {
            var table = setting.Table;
            var basePredictor = LatencyModelFitter.Fit(table.Archs[..TrainEnd], table.Column(setting.SourceColumn)[..TrainEnd], LatencyFitSettings.ForModel(LatencyFitSettings.DefaultModel, CliSeed), setting.Space, setting.Source).Predictor;
            var y = table.Column(setting.TargetColumn);
            var pool = Enumerable.Range(TrainEnd, PoolEnd - TrainEnd).ToArray();
            var sortedPool = pool.Select(i => y[i]).Order().ToArray();
            var budgets = BudgetPercentiles.Select(p => Percentile(sortedPool, p)).ToArray();
            foreach (var k in ShotCounts)
            {
                var outcomes = new DrawOutcome[draws][];
                Parallel.For(0, draws, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, d =>
                {
                    outcomes[d] = Draw(table, basePredictor, y, pool, k, DrawSeed(setting.Target, k, d), budgets, promises);
                });
                for (var p = 0; p < promises.Length; p++)
                {
                    var runs = outcomes.Select(o => o[p]).ToArray();
                    if (setting.IsHelp)
                    {
                        if (!overall.TryGetValue((k, p), out var list))
                        {
                            overall[(k, p)] = list = [];
                        }

                        list.AddRange(runs);
                    }

                    yield return Row($"{setting.Target} (base: fit on {setting.Source})", k, promises[p], runs);
                }
            }
        }

        foreach (var ((k, p), runs) in overall.OrderBy(kv => kv.Key.K).ThenBy(kv => kv.Key.Promise))
        {
            yield return Row("all 12 HELP settings", k, promises[p], runs);
        }
    }

    /// <summary>A draw's seed: FNV-1a of "target|k|draw" (the development split prefixes its targets with "dev|").</summary>
    internal static ulong DrawSeed(string target, int k, int draw)
    {
        var h = 1469598103934665603UL;
        foreach (var c in $"{target}|{k}|{draw}")
        {
            h = (h ^ c) * 1099511628211UL;
        }

        return h;
    }

    /// <summary>One draw: K shots, the CLI's adaptation, then the gate under each promise at each budget.</summary>
    private static DrawOutcome[] Draw(ReferenceTable table, ILatencyPredictor basePredictor, double[] y, int[] pool, int k, ulong seed, double[] budgets, double?[] promises)
    {
        var order = pool.ToArray();
        new SeededRandom(seed).Shuffle(order.AsSpan());
        var shots = order.Take(k).Select(i => (table.Archs[i], y[i])).ToArray();
        var test = order.Skip(k).ToArray();
        var watch = System.Diagnostics.Stopwatch.StartNew();
        var outcome = AdaptationRun.Run([basePredictor], shots, "auto", null, seed);
        var seconds = watch.Elapsed.TotalSeconds;
        var archs = test.Select(i => table.Archs[i]).ToArray();
        var measured = test.Select(i => y[i]).ToArray();
        var metrics = LatencyMetrics.Compute(outcome.WithIntervals.PredictAll(archs), measured);
        return promises.Select(promise =>
        {
            // The gate's call: the predictor under the device's promise, asked for its interval at the device's confidence.
            var gated = outcome.WithIntervals.WithCalibrationConfidence(promise);
            var estimates = new LatencyEstimate[archs.Length];
            gated.PredictWithInterval(archs, Confidence, estimates);
            var gates = budgets.Select(budget =>
            {
                int over = 0, falsePass = 0, under = 0, falseFail = 0;
                for (var i = 0; i < measured.Length; i++)
                {
                    var pass = estimates[i].UpperMs <= budget;
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

                return new GateCount(over, falsePass, under, falseFail);
            }).ToArray();
            var covered = Enumerable.Range(0, measured.Length).Count(i => measured[i] <= estimates[i].UpperMs) / (double)measured.Length;
            var coveredBoth = Enumerable.Range(0, measured.Length).Count(i => measured[i] >= estimates[i].LowerMs && measured[i] <= estimates[i].UpperMs) / (double)measured.Length;
            return new DrawOutcome(outcome.Strategy, metrics, gated.HalfWidth(Confidence), covered, coveredBoth, seconds, gates, measured.Length);
        }).ToArray();
    }

    private static AccuracyRow Row(string device, int k, double? promise, IReadOnlyList<DrawOutcome> runs)
    {
        double Median(Func<DrawOutcome, double> f)
        {
            var v = runs.Select(f).Order().ToArray();
            return v.Length % 2 == 1 ? v[v.Length / 2] : 0.5 * (v[(v.Length / 2) - 1] + v[v.Length / 2]);
        }

        var extra = new Dictionary<string, object>
        {
            ["draws"] = runs.Count,
            ["confidence"] = Confidence,
            ["promise"] = promise is { } g ? string.Create(CultureInfo.InvariantCulture, $"with confidence {g}") : "marginal",
            ["median_q"] = Math.Round(Median(r => r.HalfWidth), 4),
            ["mean_upper_coverage_pct"] = Math.Round(100 * runs.Average(r => r.UpperCoverage), 2),
            ["mean_coverage_pct"] = Math.Round(100 * runs.Average(r => r.Coverage), 2),
            ["draws_coverage_below_95"] = Share(runs.Count(r => r.Coverage < Confidence), runs.Count),
            ["draws_upper_coverage_below_95"] = Share(runs.Count(r => r.UpperCoverage < Confidence), runs.Count),
            ["strategies"] = string.Join(" ", runs.GroupBy(r => r.Strategy).OrderByDescending(s => s.Count()).ThenBy(s => s.Key, StringComparer.Ordinal).Select(s => $"{s.Key}:{s.Count()}")),
        };
        for (var b = 0; b < BudgetPercentiles.Length; b++)
        {
            var p = BudgetPercentiles[b];
            var counts = runs.Select(r => r.Gates[b]).ToArray();
            var (rate, low, high) = PooledRate(counts);
            var perDraw = counts.Where(c => c.Over > 0).Select(c => (double)c.FalsePass / c.Over).ToArray();
            var above = perDraw.Count(r => r > 0.05);
            extra[$"p{p}_false_pass_pct"] = Math.Round(100 * rate, 2);
            extra[$"p{p}_false_pass_ci95"] = string.Create(CultureInfo.InvariantCulture, $"{100 * low:0.00}-{100 * high:0.00}");
            extra[$"p{p}_max_draw_false_pass_pct"] = Math.Round(100 * perDraw.Max(), 2);
            extra[$"p{p}_draws_over_5pct"] = Share(above, perDraw.Length);
            // The same false passes counted over every test arch: the quantity the interval bounds (P(pass and over) ≤ P(over the upper bound) ≤ 1 − c).
            var perDrawAll = counts.Select(c => (double)c.FalsePass / (c.Over + c.Under)).ToArray();
            extra[$"p{p}_false_pass_of_all_pct"] = Math.Round(100.0 * counts.Sum(c => c.FalsePass) / counts.Sum(c => c.Over + c.Under), 3);
            extra[$"p{p}_draws_over_5pct_of_all"] = Share(perDrawAll.Count(r => r > 0.05), perDrawAll.Length);
            extra[$"p{p}_false_fail_pct"] = Math.Round(100.0 * counts.Sum(c => c.FalseFail) / Math.Max(1, counts.Sum(c => c.Under)), 2);
        }

        return new AccuracyRow(
            "false-pass",
            $"{k}-shot auto (cross-conformal), {(promise is null ? "marginal" : "with confidence 0.9")}",
            device,
            k,
            runs[0].TestCount,
            Median(r => r.Metrics.MaeMs),
            Median(r => r.Metrics.RmseMs),
            Median(r => r.Metrics.MapePct),
            Median(r => r.Metrics.Within10Pct),
            Median(r => r.Metrics.Spearman),
            Median(r => r.Metrics.Kendall),
            Median(r => r.FitSeconds)) { Extra = extra };
    }

    /// <summary>"x/n (low-high %)": a count of independent draws with its exact 95 % interval.</summary>
    internal static string Share(int count, int draws)
    {
        var (low, high) = ClopperPearson(count, draws);
        return string.Create(CultureInfo.InvariantCulture, $"{count}/{draws} ({100 * low:0.0}-{100 * high:0.0} %)");
    }

    /// <summary>
    /// The pooled false-pass rate and a 95 % Clopper–Pearson interval on an effective count: the
    /// ratio estimator's between-draw variance over the binomial one is the design effect (≥ 1).
    /// </summary>
    internal static (double Rate, double Low, double High) PooledRate(IReadOnlyList<GateCount> draws)
    {
        double over = draws.Sum(c => c.Over);
        double fp = draws.Sum(c => c.FalsePass);
        if (over == 0)
        {
            return (double.NaN, double.NaN, double.NaN);
        }

        var rate = fp / over;
        var m = draws.Count;
        var clusterVar = m < 2 ? 0 : draws.Sum(c => Math.Pow(c.FalsePass - (rate * c.Over), 2)) / (over * over) * m / (m - 1);
        var binomialVar = rate * (1 - rate) / over;
        var designEffect = binomialVar > 0 ? Math.Max(1, clusterVar / binomialVar) : 1;
        var n = over / designEffect;
        var (low, high) = ClopperPearson(rate * n, n);
        return (rate, low, high);
    }

    /// <summary>Exact 95 % binomial interval from Beta quantiles (real-valued counts allowed).</summary>
    internal static (double Low, double High) ClopperPearson(double successes, double trials)
    {
        if (trials <= 0)
        {
            return (double.NaN, double.NaN);
        }

        var low = successes <= 0 ? 0 : MathNet.Numerics.Distributions.Beta.InvCDF(successes, trials - successes + 1, 0.025);
        var high = successes >= trials ? 1 : MathNet.Numerics.Distributions.Beta.InvCDF(successes + 1, trials - successes, 0.975);
        return (low, high);
    }

    private static double Percentile(double[] sorted, int percent)
    {
        var position = percent / 100.0 * (sorted.Length - 1);
        var lo = (int)Math.Floor(position);
        var hi = Math.Min(sorted.Length - 1, lo + 1);
        return sorted[lo] + ((position - lo) * (sorted[hi] - sorted[lo]));
    }

    /// <summary>A target column and the column its base is fitted on (rows paired across columns).</summary>
    private sealed record Setting(ReferenceTable Table, OfaSpace Space, string TargetColumn, string SourceColumn, string Target, string Source, bool IsHelp);

    internal sealed record GateCount(int Over, int FalsePass, int Under, int FalseFail);

    private sealed record DrawOutcome(string Strategy, LatencyMetrics Metrics, double HalfWidth, double UpperCoverage, double Coverage, double FitSeconds, GateCount[] Gates, int TestCount);
}
