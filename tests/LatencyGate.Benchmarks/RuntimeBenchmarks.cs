using System.Globalization;
using LatencyGate.Adaptation;
using LatencyGate.Measuring;
using LatencyGate.Predictors;
using LatencyGate.Randomness;
using LatencyGate.Runtime.OnnxRuntime;
using LatencyGate.Spaces;
using LatencyGate.Statistics;
using LatencyGate.Torch;

namespace LatencyGate.Benchmarks;

/// <summary>
/// Two real runtimes on this machine are two real devices: ONNX Runtime and libtorch (CPU, one
/// thread, batch 1) each measure the same seeded sample of OFA w1.0 archs (resolutions 128/160/192/224,
/// default 200 archs; LG_BENCH_RUNTIME_ARCHS changes it) with the protocol `measure` defaults to
/// (anchored on the reference network, two passes; fewer runs per pass, as the measured-this-machine
/// benchmark, which validated it). Rows: each runtime's test-retest Spearman (pass 1 vs pass 2, the
/// noise ceiling), how well ONNX Runtime's latencies rank libtorch's (SRCC with a 95 % bootstrap
/// interval), and proxy adaptation from ONNX Runtime to libtorch with 20 measured shots (adaproxy on the additive per-layer model fitted to every ONNX
/// Runtime measurement; tested on the archs that were not shots; median of 5 shot draws). Both
/// measurement files are kept in the output folder (resumable: a rerun measures only what is missing).
/// </summary>
internal sealed class RuntimeMonotonicityBenchmark : IAccuracyBenchmark
{
    internal static readonly MeasurementProtocol Protocol = new(Warmup: 3, Runs: 12, Passes: 2, MaxRetries: 1, Tolerance: 0.10, Clock: TimingClock.Cpu, Threads: 1, BatchSize: 1, Seed: 1, Anchored: true);

    public string Name => "runtimes";

    public IEnumerable<AccuracyRow> Run(BenchmarkContext context)
    {
        var count = int.TryParse(Environment.GetEnvironmentVariable("LG_BENCH_RUNTIME_ARCHS"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) ? n : 200;
        int[] resolutions = [128, 160, 192, 224];
        var sampler = new ArchSampler(resolutions);
        var random = new SeededRandom(2026);
        var archs = new List<Arch>();
        for (var tries = 0; archs.Count < count && tries < 100 * count; tries++)
        {
            var arch = sampler.Sample(random);
            if (!archs.Contains(arch))
            {
                archs.Add(arch);
            }
        }

        var loadBefore = BenchmarkContext.LoadAverage();
        var (ort, ortRetest) = Measure(context, new OnnxRuntimeMeasurementRuntime(), archs);
        var (torch, torchRetest) = Measure(context, new TorchMeasurementRuntime(TorchEnvironment.FromProcess()), archs);
        var loadAfter = BenchmarkContext.LoadAverage();
        var x = archs.Select(a => ort[a].LatencyMs).ToArray();
        var y = archs.Select(a => torch[a].LatencyMs).ToArray();
        var (lo, hi) = BootstrapSpearman(x, y, 2000, 7);
        var ratio = Median(archs.Select(a => torch[a].LatencyMs / ort[a].LatencyMs));
        var raw = MonotonicityMetrics.Of(x, y);
        var extra = new Dictionary<string, object>
        {
            ["srcc_ci95_lo"] = lo,
            ["srcc_ci95_hi"] = hi,
            ["median_torch_over_ort_cpu"] = ratio,
            ["ort_median_ms"] = Median(x),
            ["torch_median_ms"] = Median(y),
            ["unstable_ort"] = archs.Count(a => ort[a].Unstable),
            ["unstable_torch"] = archs.Count(a => torch[a].Unstable),
            ["retest_spearman_ort"] = ortRetest,
            ["retest_spearman_torch"] = torchRetest,
            ["protocol"] = Protocol.Fingerprint + ";passes=2",
            ["load_average"] = $"{loadBefore} before / {loadAfter} after measuring",
            ["clock"] = "CPU, 1 thread, batch 1",
        };
        yield return Log(context, new AccuracyRow("runtime-monotonicity", "raw proxy: ONNX Runtime ms as libtorch ms", "libtorch CPU (this machine)", 0, archs.Count, raw.Mae, raw.Rmse, raw.Mape, raw.Within10, raw.Spearman, raw.Kendall, 0) { Extra = extra });

        // Proxy adaptation with 20 shots: the proxy's additive per-layer model, fitted to every ONNX Runtime measurement, adapted to libtorch.
        var proxy = LatencyModelFitter.Fit(archs, x, new LatencyFitSettings { Kind = LatencyModelKind.Additive }, OfaSpace.W10, "onnxruntime").Predictor;
        var adapted = new List<MonotonicityMetrics>();
        var rawOnTest = new List<MonotonicityMetrics>();
        for (var seed = 1UL; seed <= 5; seed++)
        {
            var order = Enumerable.Range(0, archs.Count).ToArray();
            new SeededRandom(seed).Shuffle(order.AsSpan());
            var shots = order.Take(20).Select(i => new LatencyShot(archs[i], y[i])).ToArray();
            var test = order.Skip(20).ToArray();
            var model = new AdaProxyStrategy().Adapt(proxy, shots, seed);
            var testArchs = test.Select(i => archs[i]).ToArray();
            var truth = test.Select(i => y[i]).ToArray();
            adapted.Add(MonotonicityMetrics.Of(model.PredictAll(testArchs), truth));
            rawOnTest.Add(MonotonicityMetrics.Of(test.Select(i => x[i]).ToArray(), truth));
        }

        var a = MonotonicityMetrics.Summarize(adapted);
        var r = MonotonicityMetrics.Summarize(rawOnTest);
        yield return Log(context, new AccuracyRow("runtime-proxy-adaptation", "adaproxy: ONNX Runtime additive model → libtorch", "libtorch CPU (this machine)", 20, archs.Count - 20, a.Mae, a.Rmse, a.Mape, a.Within10, a.Spearman, a.Kendall, 0) { Extra = new Dictionary<string, object> { ["seeds"] = 5, ["raw_proxy_spearman_same_rows"] = r.Spearman, ["raw_proxy_mae_same_rows"] = r.Mae } });
    }

    /// <summary>Measures <paramref name="archs"/> (resuming the kept file) and returns the rows and the runtime's test-retest Spearman of the two passes, anchored as the rows are.</summary>
    internal static (Dictionary<Arch, ArchMeasurement> Rows, double Retest) Measure(BenchmarkContext context, IMeasurementRuntime runtime, IReadOnlyList<Arch> archs)
    {
        var path = Path.Combine(context.OutputDirectory, $"runtimes-{runtime.Name}.csv");
        var files = new MeasurementFiles(path, OfaSpace.W10, Protocol, MachineIdentity.ThisMachine(runtime, Protocol.Threads, Protocol.BatchSize));
        var done = 0;
        var rows = new MeasurementRun(runtime, OfaSpace.W10, Protocol).Measure(archs, files, p =>
        {
            if (++done % 50 == 0)
            {
                context.Log.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {runtime.Name}: {done} arch passes measured"));
            }
        });
        var journal = files.LoadJournal();
        var referenceMs = PassTiming.ReferenceMedian(journal, Protocol.Clock);
        double PassMedian(Arch a, int pass) => TimingSummary.Median(journal[a].First(t => t.Pass == pass).Latencies(Protocol.Clock, referenceMs));
        var retest = RankCorrelation.Spearman(archs.Select(a => PassMedian(a, 0)).ToArray(), archs.Select(a => PassMedian(a, 1)).ToArray());
        context.Log.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {runtime.Name}: test-retest Spearman {retest:F4}"));
        return (rows.ToDictionary(m => m.Arch), retest);
    }

    private static (double Lo, double Hi) BootstrapSpearman(double[] x, double[] y, int resamples, ulong seed)
    {
        var random = new SeededRandom(seed);
        var values = new double[resamples];
        var bx = new double[x.Length];
        var by = new double[y.Length];
        for (var b = 0; b < resamples; b++)
        {
            for (var i = 0; i < x.Length; i++)
            {
                var j = random.NextInt(x.Length);
                (bx[i], by[i]) = (x[j], y[j]);
            }

            values[b] = RankCorrelation.Spearman(bx, by);
        }

        Array.Sort(values);
        return (values[(int)(0.025 * resamples)], values[(int)(0.975 * resamples) - 1]);
    }

    private static double Median(IEnumerable<double> values) => MonotonicityMetrics.Median(values);

    private static AccuracyRow Log(BenchmarkContext context, AccuracyRow row)
    {
        context.Log.WriteLine(row.ToLine());
        return row;
    }
}

/// <summary>Measuring one arch with each runtime (`measure`'s defaults: 10 warm-up, 2 passes of 30 runs, anchored).</summary>
internal sealed class RuntimeSpeedBenchmark : ISpeedBenchmark
{
    public string Name => "runtimes";

    public IEnumerable<SpeedFigure> Run(BenchmarkContext context)
    {
        var arch = Arch.Create(Enumerable.Repeat(5, 20).ToArray(), Enumerable.Repeat(4, 20).ToArray(), [3, 3, 3, 3, 3], 192, OfaSpace.W10);
        foreach (var runtime in new IMeasurementRuntime[] { new OnnxRuntimeMeasurementRuntime(), new TorchMeasurementRuntime(TorchEnvironment.FromProcess()) })
        {
            var watch = System.Diagnostics.Stopwatch.StartNew();
            var m = new MeasurementRun(runtime, OfaSpace.W10, new MeasurementProtocol(Anchored: true)).Measure([arch])[0];
            var total = watch.Elapsed.TotalSeconds;
            foreach (var figure in new[]
            {
                new SpeedFigure($"measure_{runtime.Name}_cpu_ms", m.CpuMs, "ms", "one OFA w1.0 arch (ks 5, e 4, d 3, r 192), batch 1, 1 thread: median CPU time of 60 runs"),
                new SpeedFigure($"measure_{runtime.Name}_wall_ms", m.WallMs, "ms", "the same runs' median wall time"),
                new SpeedFigure($"measure_{runtime.Name}_total_s", total, "s", $"measuring that arch end to end (build, warm-up, 2 passes of 30 runs, each beside a reference run; the reference prepared once); load average {BenchmarkContext.LoadAverage()}"),
            })
            {
                context.Log.WriteLine(figure.ToLine());
                yield return figure;
            }
        }
    }
}
