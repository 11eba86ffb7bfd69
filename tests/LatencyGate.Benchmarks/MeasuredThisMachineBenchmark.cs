using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using LatencyGate.Adaptation;
using LatencyGate.Adaptation.Features;
using LatencyGate.Benchmarks.Adaptation;
using LatencyGate.Gating;
using LatencyGate.Manifest;
using LatencyGate.Measuring;
using LatencyGate.Predictors;
using LatencyGate.Predictors.Lut;
using LatencyGate.Randomness;
using LatencyGate.Runtime.OnnxRuntime;
using LatencyGate.Search;
using LatencyGate.Spaces;
using LatencyGate.Statistics;

namespace LatencyGate.Benchmarks;

/// <summary>
/// Real measurements of this machine (issue 14): 330 sampled w1.2 archs at OFA's tutorial resolutions,
/// timed with ONNX Runtime (1 thread, batch 1) through the same <see cref="MeasurementRun"/> the
/// <c>measure</c> command runs, two passes in alternating order, CPU time, anchored on the reference
/// network (each run divided by a reference run beside it, as <c>measure</c> does by default). Reported: the
/// test-retest Spearman of the two passes (the noise ceiling) and the load average before and after measuring; on the last 200 archs (held out),
/// predictors from K = 10/20/50 measured shots out of the first 130 (from scratch: the additive
/// model; adapted with <c>auto</c> from OFA's Note10 table, from the seed paper's RTX 2080 Ti MLP and
/// from the analytic base <c>builtin:macs</c>),
/// medians over 3 shot draws; baselines: MACs and the raw Note10 table; and for budgets at the
/// 25th/50th/75th percentile of the held-out latencies, how often the pick of a search on the
/// 20-shot predictor adapted from Note10, and from builtin:macs, measures within budget. The measurements CSV is written to the
/// output folder and resumed if the run is interrupted.
/// </summary>
internal sealed class MeasuredThisMachineBenchmark : IAccuracyBenchmark
{
    private const int ArchCount = 330;
    internal const int PoolCount = 130;
    private static readonly int[] Resolutions = [160, 176, 192, 208, 224];
    private static readonly int[] ShotCounts = [10, 20, 50];
    private static readonly ulong[] Seeds = [1, 2, 3];
    private const string Note10Method = "auto from Note10 table";
    private const string MacsMethod = "auto from builtin:macs (MACs base)";
    private static readonly MeasurementProtocol Protocol = new(Warmup: 3, Runs: 12, Passes: 2, MaxRetries: 1, Tolerance: 0.10, Clock: TimingClock.Cpu, Anchored: true);

    public string Name => "measured-this-machine";

    public IEnumerable<AccuracyRow> Run(BenchmarkContext context)
    {
        var space = OfaSpace.W12;
        var runtime = new OnnxRuntimeMeasurementRuntime();
        var identity = MachineIdentity.ThisMachine(runtime, Protocol.Threads, Protocol.BatchSize);
        var loadBefore = BenchmarkContext.LoadAverage();
        var archs = Sample(space);
        var files = new MeasurementFiles(Path.Combine(context.OutputDirectory, "measured-this-machine.csv"), space, Protocol, identity);
        context.Log.WriteLine($"   measuring {archs.Length} archs x {Protocol.Passes} passes on {identity} into {files.Path}");
        var alreadyMeasured = File.Exists(files.Path) ? archs.Count(files.LoadResults().ContainsKey) : 0;
        var watch = Stopwatch.StartNew();
        var cpu0 = Process.GetCurrentProcess().TotalProcessorTime;
        var rows = new MeasurementRun(runtime, space, Protocol).Measure(archs, files, p =>
        {
            if (p.Done % 50 == 0 || p.Done == p.Total)
            {
                context.Log.WriteLine(Text($"   [{p.Done}/{p.Total}] {watch.Elapsed.TotalMinutes:F1} min"));
            }
        });
        var measureMinutes = watch.Elapsed.TotalMinutes;
        var loadAfter = BenchmarkContext.LoadAverage();
        // A resumed run measured nothing (or part): its load average is not the measurements' own.
        var device = alreadyMeasured == archs.Length
            ? $"this machine ({identity.LogicalCores} cores, {runtime.Name} {runtime.Version}, measurements resumed from an earlier run's file)"
            : $"this machine ({identity.LogicalCores} cores, {runtime.Name} {runtime.Version}, load average {loadBefore} before / {loadAfter} after measuring{(alreadyMeasured > 0 ? $", {alreadyMeasured} of {archs.Length} archs resumed from an earlier run" : string.Empty)})";
        var measureCpuMinutes = (Process.GetCurrentProcess().TotalProcessorTime - cpu0).TotalMinutes;
        var latency = rows.Select(r => r.LatencyMs).ToArray();
        var unstable = rows.Count(r => r.Unstable);

        // Test-retest: each arch's two pass medians (anchored as the rows are, CPU and wall; and raw CPU), from the pass journal.
        var journal = files.LoadJournal();
        var referenceMs = new[] { TimingClock.Cpu, TimingClock.Wall }.ToDictionary(c => c, c => PassTiming.ReferenceMedian(journal, c));
        double PassMedian(Arch a, int pass, TimingClock clock, bool anchored) =>
            TimingSummary.Median(journal[a].First(t => t.Pass == pass).Latencies(clock, anchored ? referenceMs[clock] : double.NaN));

        var p1 = archs.Select(a => PassMedian(a, 0, TimingClock.Cpu, true)).ToArray();
        var p2 = archs.Select(a => PassMedian(a, 1, TimingClock.Cpu, true)).ToArray();
        var w1 = archs.Select(a => PassMedian(a, 0, TimingClock.Wall, true)).ToArray();
        var w2 = archs.Select(a => PassMedian(a, 1, TimingClock.Wall, true)).ToArray();
        var raw1 = archs.Select(a => PassMedian(a, 0, TimingClock.Cpu, false)).ToArray();
        var raw2 = archs.Select(a => PassMedian(a, 1, TimingClock.Cpu, false)).ToArray();
        var retest = RankCorrelation.Spearman(p1, p2);
        var extra = new Dictionary<string, object>
        {
            ["wall_spearman"] = Math.Round(RankCorrelation.Spearman(w1, w2), 4),
            ["raw_cpu_spearman"] = Math.Round(RankCorrelation.Spearman(raw1, raw2), 4),
            ["load_average_before"] = loadBefore,
            ["load_average_after"] = loadAfter,
            ["unstable_archs"] = unstable,
            ["measure_minutes"] = Math.Round(measureMinutes, 1),
            ["measure_cpu_minutes"] = Math.Round(measureCpuMinutes, 1),
            ["median_latency_ms"] = Math.Round(TimingSummary.Median(latency), 3),
            ["median_iqr_pct"] = Math.Round(TimingSummary.Median(rows.Select(r => 100 * (r.Q3Ms - r.Q1Ms) / r.LatencyMs)), 1),
            ["cpu_model"] = identity.CpuModel,
        };
        yield return Evaluation.Of(p2, p1, 0).ToRow(Name, "test-retest (pass 2 vs pass 1, CPU time, anchored)", device, 0, archs.Length, extra);

        var pool = Enumerable.Range(0, PoolCount).ToArray();
        var test = Enumerable.Range(PoolCount, archs.Length - PoolCount).ToArray();
        var testArchs = test.Select(i => archs[i]).ToArray();
        var measured = test.Select(i => latency[i]).ToArray();
        var retestTest = RankCorrelation.Spearman(test.Select(i => p1[i]).ToArray(), test.Select(i => p2[i]).ToArray());

        var macs = testArchs.Select(a => (double)OfaMobileNetV3.Macs(a, space)).ToArray();
        yield return Evaluation.Of(macs, measured, 0).ToRow(Name, "MACs (rank only)", device, 0, test.Length, new Dictionary<string, object> { ["note"] = "MAE etc. compare MACs with ms: only Spearman/Kendall mean anything" });
        var note10 = LookupTablePredictor.Load(context.DataPath("ofa-lut", "note10"), space);
        var rawNote10 = new double[testArchs.Length];
        note10.Predict(testArchs, rawNote10);
        yield return Evaluation.Of(rawNote10, measured, 0).ToRow(Name, "raw Note10 table (no shots)", device, 0, test.Length);

        var macsBase = new MacsBasePredictor(space);
        var rtx = new CachedTrunk(new PaperMlpTrunk(context.DataPath("ofanas-perfest", "predictor_weights", "rtx2080ti_ofa.f32"), space, "RTX 2080 Ti"));
        var methods = new (string Name, Func<IReadOnlyList<LatencyShot>, ulong, ILatencyPredictor> Fit)[]
        {
            ("scratch: additive (fit --model additive)", (s, _) => LinearLatencyModel.Fit(new StructuredFeatures(space), space, s, "this machine")),
            (Note10Method, (s, seed) => new AutoStrategy().Choose([note10], s, seed).Predictor),
            ("auto from RTX 2080 Ti MLP (seed paper)", (s, seed) => new AutoStrategy().Choose([rtx], s, seed).Predictor),
            ("auto from both", (s, seed) => new AutoStrategy().Choose([note10, rtx], s, seed).Predictor),
            (MacsMethod, (s, seed) => new AutoStrategy().Choose([macsBase], s, seed).Predictor),
        };
        var adapted20 = new Dictionary<string, List<ILatencyPredictor>> { [Note10Method] = [], [MacsMethod] = [] };
        foreach (var k in ShotCounts)
        {
            foreach (var (method, fit) in methods)
            {
                var runs = new List<Evaluation>();
                foreach (var seed in Seeds)
                {
                    var shots = Draw(pool, k, seed).Select(i => new LatencyShot(archs[i], latency[i])).ToArray();
                    var fitWatch = Stopwatch.StartNew();
                    var predictor = fit(shots, seed);
                    var seconds = fitWatch.Elapsed.TotalSeconds;
                    var predicted = new double[testArchs.Length];
                    predictor.Predict(testArchs, predicted);
                    runs.Add(Evaluation.Of(predicted, measured, seconds));
                    if (k == 20 && adapted20.TryGetValue(method, out var kept))
                    {
                        kept.Add(predictor);
                    }
                }

                var median = Evaluation.Median(runs);
                yield return median.ToRow(Name, method, device, k, test.Length, new Dictionary<string, object>
                {
                    ["vs_retest"] = Math.Round(median.Spearman / retestTest, 4),
                    ["retest_spearman_test"] = Math.Round(retestTest, 4),
                });
            }
        }

        // Budgets at percentiles of held-out measured latency; search with each 20-shot adapted predictor; measure the pick.
        var accuracy = LoadAccuracy(context);
        var sorted = measured.Order().ToArray();
        // Two aims: the whole budget (the predictor alone decides), and the budget less the default warn
        // margin, with the whole budget as fallback, which is where `check` and `search` aim (GateSearch.Aim).
        foreach (var (searchMethod, predictors) in adapted20)
        foreach (var asCheck in new[] { false, true })
        foreach (var q in new[] { 0.25, 0.50, 0.75 })
        {
            var budget = TimingSummary.Quantile(sorted, q);
            var within = 0;
            var picks = new List<string>();
            for (var i = 0; i < predictors.Count; i++)
            {
                ScoredArch? Search(double aimMs) =>
                    EvolutionSearch.Run(new SearchRequest([new SearchDevice("this-machine", predictors[i], aimMs)], accuracy, Resolutions) { Seed = Seeds[i], MaxDegreeOfParallelism = 1, ReportInfeasible = true })
                        .Outcomes.FirstOrDefault()?.Best;
                var aim = asCheck ? GateSearch.Aim(budget, WarnMargin.Default) : budget;
                var best = Search(aim) ?? (aim < budget ? Search(budget) : null);
                if (best is null)
                {
                    picks.Add("no pick");
                    continue;
                }

                // Into the same files: the pick's runs are divided by the reference's median over the whole run, as the shots' were.
                var pick = new MeasurementRun(runtime, space, Protocol).Measure([best.Arch], files)[0];
                within += pick.LatencyMs <= budget ? 1 : 0;
                picks.Add(Text($"{best.Latencies[0].LatencyMs:F2}->{pick.LatencyMs:F2}"));
            }

            yield return new AccuracyRow(
                Name, Text($"search pick within budget, p{q * 100:F0} budget, {(asCheck ? "aimed as check aims (budget less the default 10 % warn margin)" : "aimed at the whole budget")} (20-shot {searchMethod})"), device, 20, predictors.Count,
                double.NaN, double.NaN, double.NaN, 100.0 * within / predictors.Count, double.NaN, double.NaN, 0)
            {
                Extra = new Dictionary<string, object>
                {
                    ["budget_ms"] = Math.Round(budget, 3),
                    ["within_budget"] = Text($"{within}/{predictors.Count}"),
                    ["predicted_to_measured_ms"] = string.Join(" ", picks),
                },
            };
        }
    }

    internal static Arch[] Sample(OfaSpace space)
    {
        var sampler = new ArchSampler(Resolutions);
        var random = new SeededRandom(14);
        var seen = new HashSet<Arch>();
        var list = new List<Arch>();
        for (var attempts = 0; list.Count < ArchCount && attempts < ArchCount * 100; attempts++)
        {
            var a = sampler.Sample(random);
            if (seen.Add(a))
            {
                list.Add(a);
            }
        }

        _ = space;
        return [.. list];
    }

    private static int[] Draw(int[] pool, int k, ulong seed)
    {
        var copy = (int[])pool.Clone();
        new SeededRandom(seed * 7919).Shuffle(copy.AsSpan());
        return copy[..k];
    }

    private static OfaAccuracyPredictor LoadAccuracy(BenchmarkContext context)
    {
        using var manifest = JsonDocument.Parse(File.ReadAllText(context.DataPath("ofa-acc-predictor", "mbv3_w1.2_acc_predictor.json")));
        var layout = manifest.RootElement.GetProperty("tensors").EnumerateArray()
            .Select(t => (t.GetProperty("name").GetString()!, t.GetProperty("shape").EnumerateArray().Select(v => v.GetInt32()).ToArray())).ToArray();
        var tensors = RawWeightFile.Read(context.DataPath("ofa-acc-predictor", "mbv3_w1.2_acc_predictor.f32.bin"), layout);
        return OfaAccuracyPredictor.FromStateDict(tensors, "mbv3_w1.2_acc_predictor.f32.bin");
    }

    private static string Text(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
