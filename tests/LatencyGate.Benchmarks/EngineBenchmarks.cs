using System.Diagnostics;
using LatencyGate.Adaptation;
using LatencyGate.Learning;
using LatencyGate.Measurements;
using LatencyGate.Predictors;
using LatencyGate.Spaces;
using LatencyGate.Torch;

namespace LatencyGate.Benchmarks;

/// <summary>The two training engines (managed, TorchSharp) and the libtorch loader, shared by the engine benchmarks.</summary>
internal static class Engines
{
    private static readonly Lazy<ITrainingEngine> Torch = new(() =>
    {
        TorchRuntime.Require(TorchEnvironment.FromProcess());
        return new TorchTrainingEngine(threads: 1);
    });

    public static IReadOnlyList<ITrainingEngine> Both => [ManagedTrainingEngine.Instance, Torch.Value];

    /// <summary>Process CPU seconds (both engines are timed on CPU: the machine is shared).</summary>
    public static double CpuSeconds() => Process.GetCurrentProcess().TotalProcessorTime.TotalSeconds;
}

/// <summary>
/// Both engines side by side on the seed paper's OFA data: the default model within device (its
/// split: rows 1–7,000 train, 7,001–8,500 validation, 8,501–10,000 test) on RTX 2080 Ti, Tesla P40
/// and Note10, and Note10 → RTX 2080 Ti transfer with <c>head</c> and <c>full</c> at 10 / 50 / 700
/// shots (shots drawn, seeded, from rows 1–7,000; tested on 8,501–10,000; base: the default model
/// fitted on Note10's training rows by the same engine).
/// </summary>
internal sealed class EngineAccuracyBenchmark : IAccuracyBenchmark
{
    private static readonly (string Device, string Column)[] Devices =
    [
        ("RTX 2080 Ti (bs64)", "lat_rtx2080ti_gpu_bs64_ms"),
        ("Tesla P40 (bs64)", "lat_teslap40_gpu_bs64_ms"),
        ("Note10 (LUT)", "lat_note10_lut_ms"),
    ];

    public string Name => "engines";

    public IEnumerable<AccuracyRow> Run(BenchmarkContext context)
    {
        var path = context.DataPath("ofanas-perfest", "flat", "ofa_mbv3_paired_3devices.csv");
        var columns = Devices.ToDictionary(d => d.Column, d => MeasurementsCsv.Read(path, OfaSpace.W10, d.Column));
        var archs = columns.Values.First().Items.Select(m => m.Arch).ToArray();
        foreach (var engine in Engines.Both)
        {
            LatencyLearned? note10 = null;
            foreach (var (device, column) in Devices)
            {
                var ms = columns[column].Items.Select(m => m.LatencyMs).ToArray();
                var cpu = Engines.CpuSeconds();
                var fit = LatencyModelFitter.Fit(archs[..7000], ms[..7000], archs[7000..8500], ms[7000..8500], LatencyFitSettings.Default(1) with { Engine = engine }, OfaSpace.W10, device);
                var seconds = Engines.CpuSeconds() - cpu;
                var row = Row("within-device", $"engine {engine.Name}: additive+mlp", device, 0, fit.Predictor, archs[8500..], ms[8500..], seconds);
                context.Log.WriteLine(row.ToLine());
                yield return row;
                if (column == "lat_note10_lut_ms")
                {
                    note10 = new LatencyLearned(fit.Predictor);
                }
            }

            var rtx = columns["lat_rtx2080ti_gpu_bs64_ms"].Items.Select(m => m.LatencyMs).ToArray();
            foreach (var shots in new[] { 10, 50, 700 })
            {
                var order = Enumerable.Range(0, 7000).ToArray();
                new Randomness.SeededRandom(1).Shuffle(order.AsSpan());
                var shotSet = order.Take(shots).Select(i => new LatencyShot(archs[i], rtx[i])).ToArray();
                foreach (IAdaptationStrategy strategy in new IAdaptationStrategy[] { new HeadStrategy(engine), new FullStrategy(null, engine) })
                {
                    var cpu = Engines.CpuSeconds();
                    var adapted = strategy.Adapt(note10!.Predictor, shotSet, 1);
                    var seconds = Engines.CpuSeconds() - cpu;
                    var row = Row("transfer note10->rtx", $"engine {engine.Name}: {strategy.Name} [additive+mlp]", "RTX 2080 Ti (bs64)", shots, adapted, archs[8500..], rtx[8500..], seconds);
                    context.Log.WriteLine(row.ToLine());
                    yield return row;
                }
            }
        }
    }

    private static AccuracyRow Row(string task, string method, string device, int shots, ILatencyPredictor predictor, Arch[] test, double[] measured, double cpuSeconds)
    {
        var m = LatencyMetrics.Compute(predictor.PredictAll(test), measured);
        return new AccuracyRow(task, method, device, shots, test.Length, m.MaeMs, m.RmseMs, m.MapePct, m.Within10Pct, m.Spearman, m.Kendall, cpuSeconds)
        {
            Extra = new Dictionary<string, object> { ["fit_clock"] = "process CPU s" },
        };
    }

    private sealed record LatencyLearned(LearnedLatencyPredictor Predictor);
}

/// <summary>Training speed of both engines: the default model on 7,000 rows, one <c>full</c> fine-tune (700 shots).</summary>
internal sealed class EngineSpeedBenchmark : ISpeedBenchmark
{
    public string Name => "engines";

    public IEnumerable<SpeedFigure> Run(BenchmarkContext context)
    {
        var path = context.DataPath("ofanas-perfest", "flat", "ofa_mbv3_paired_3devices.csv");
        var rtx = MeasurementsCsv.Read(path, OfaSpace.W10, "lat_rtx2080ti_gpu_bs64_ms");
        var note10 = MeasurementsCsv.Read(path, OfaSpace.W10, "lat_note10_lut_ms");
        var archs = rtx.Items.Select(m => m.Arch).ToArray();
        var ms = rtx.Items.Select(m => m.LatencyMs).ToArray();
        var baseFit = LatencyModelFitter.Fit(archs[..7000], note10.Items.Select(m => m.LatencyMs).ToArray()[..7000], LatencyFitSettings.Default(1), OfaSpace.W10, "note10").Predictor;
        var shots = Enumerable.Range(0, 700).Select(i => new LatencyShot(archs[i], ms[i])).ToArray();
        foreach (var engine in Engines.Both)
        {
            var (wall, cpu) = Time(() => LatencyModelFitter.Fit(archs[..7000], ms[..7000], LatencyFitSettings.Default(1) with { Engine = engine }, OfaSpace.W10, "rtx"));
            yield return Log(context, new SpeedFigure($"engine_{engine.Name}_fit_default_7000_wall_s", wall, "s", "additive+mlp 129-256-256-1, 60 epochs max, RTX 2080 Ti rows 1-7,000 (15 % held out)"));
            yield return Log(context, new SpeedFigure($"engine_{engine.Name}_fit_default_7000_cpu_s", cpu, "s", "process CPU time of the same fit"));
            (wall, cpu) = Time(() => new FullStrategy(null, engine).Adapt(baseFit, shots, 1));
            yield return Log(context, new SpeedFigure($"engine_{engine.Name}_full_700_wall_s", wall, "s", "full on an additive+mlp Note10 base, 700 RTX shots (λ search: 2 folds × 4 λ + final, 100 Adam steps each)"));
            yield return Log(context, new SpeedFigure($"engine_{engine.Name}_full_700_cpu_s", cpu, "s", "process CPU time of the same fine-tune"));
        }
    }

    private static SpeedFigure Log(BenchmarkContext context, SpeedFigure figure)
    {
        context.Log.WriteLine(figure.ToLine());
        return figure;
    }

    private static (double Wall, double Cpu) Time(Action action)
    {
        var cpu = Engines.CpuSeconds();
        var watch = Stopwatch.StartNew();
        action();
        return (watch.Elapsed.TotalSeconds, Engines.CpuSeconds() - cpu);
    }
}
