using System.Diagnostics;
using LatencyGate.Learning;
using LatencyGate.Measurements;
using LatencyGate.Predictors;
using LatencyGate.Randomness;
using LatencyGate.Spaces;
using LatencyGate.Spaces.Encodings;

namespace LatencyGate.Benchmarks;

/// <summary>GEMM throughput, batched MLP prediction (paper-size 128-400-400-400-1) and training wall time on 7,000 rows.</summary>
internal sealed class LearningSpeedBenchmark : ISpeedBenchmark
{
    public string Name => "learning";

    public IEnumerable<SpeedFigure> Run(BenchmarkContext context)
    {
        var kernel = Gemm.UsesAvx2 ? "AVX2/FMA 6x16 kernel" : "portable Vector<float> kernel";
        foreach (var (m, n, k) in new[] { (1536, 400, 400), (400, 400, 128) })
        {
            var random = new SeededRandom(1);
            var a = Enumerable.Range(0, m * k).Select(_ => (float)random.NextDouble()).ToArray();
            var b = Enumerable.Range(0, k * n).Select(_ => (float)random.NextDouble()).ToArray();
            var c = new float[m * n];
            var seconds = Best(() => Gemm.Multiply(m, n, k, a, 0, k, false, b, 0, k, true, c, 0, n, false), 0.5);
            yield return new SpeedFigure($"gemm_{m}x{n}x{k}_gflops", 2.0 * m * n * k / seconds / 1e9, "GFLOP/s", $"C = A·Bᵀ, {kernel}, {context.CoreCount} cores");
            double single;
            using (Parallelism.Limit(1))
            {
                single = Best(() => Gemm.Multiply(m, n, k, a, 0, k, false, b, 0, k, true, c, 0, n, false), 0.5);
            }

            yield return new SpeedFigure($"gemm_{m}x{n}x{k}_1thread_gflops", 2.0 * m * n * k / single / 1e9, "GFLOP/s", $"same, one thread");
        }

        var sampler = new SeededRandom(7);
        var archs = Enumerable.Range(0, 50_000).Select(_ => RandomArch(sampler)).ToArray();
        var paper = new LearnedLatencyPredictor(OfaSpace.W10, LatencyModelKind.Mlp, Mlp.Create([128, 400, 400, 400, 1], Activation.Relu, new SeededRandom(3)), TargetScaler.Identity, null);
        var output = new double[archs.Length];
        var predictSeconds = Best(() => paper.Predict(archs, output), 1.0);
        var flopsPerArch = 2.0 * ((29 * 400) + (400 * 400 * 2) + 400);
        yield return new SpeedFigure("mlp_predict_archs_per_s", archs.Length / predictSeconds, "archs/s", $"128-400-400-400-1, batches of 50,000 archs incl. encoding, sparse first layer, {context.CoreCount} cores");
        yield return new SpeedFigure("mlp_predict_gflops", archs.Length * flopsPerArch / predictSeconds / 1e9, "GFLOP/s", "useful flops of the batched prediction above (first layer counted as ~29 column sums)");

        var dense = new float[archs.Length * 128];
        for (var i = 0; i < archs.Length; i++)
        {
            TutorialOneHotEncoding.Instance.Encode(archs[i], dense.AsSpan(i * 128));
        }

        var denseOut = new float[archs.Length];
        var denseSeconds = Best(() => paper.Network!.Predict(dense, denseOut), 1.0);
        yield return new SpeedFigure("mlp_dense_forward_archs_per_s", archs.Length / denseSeconds, "archs/s", "same network on pre-encoded dense inputs (GEMM for every layer), for comparison");

        var accuracy = new OfaAccuracyPredictor(Mlp.Create([128, 400, 400, 400, 1], Activation.Relu, new SeededRandom(4)), "random weights, same shape as OFA's");
        var scores = new double[archs.Length];
        var scoreSeconds = Best(() => accuracy.Score(archs, scores), 1.0);
        yield return new SpeedFigure("accuracy_predict_50000_s", scoreSeconds, "s", "OFA accuracy predictor shape, one Score call on 50,000 archs");

        var path = context.DataPath("ofanas-perfest", "flat", "ofa_mbv3_paired_3devices.csv");
        var data = MeasurementsCsv.Read(path, OfaSpace.W10, "lat_rtx2080ti_gpu_bs64_ms");
        var trainArchs = data.Items.Take(7000).Select(i => i.Arch).ToArray();
        var trainMs = data.Items.Take(7000).Select(i => i.LatencyMs).ToArray();
        var valArchs = data.Items.Skip(7000).Take(1500).Select(i => i.Arch).ToArray();
        var valMs = data.Items.Skip(7000).Take(1500).Select(i => i.LatencyMs).ToArray();
        var watch = Stopwatch.StartNew();
        var fit = LatencyModelFitter.Fit(trainArchs, trainMs, valArchs, valMs, LatencyFitSettings.Default(1), OfaSpace.W10);
        watch.Stop();
        yield return new SpeedFigure("train_7000_default_wall_s", watch.Elapsed.TotalSeconds, "s", $"additive+mlp (ridge + 129-256-256-1 AdamW, {fit.Training?.EpochsRun} epochs with early stopping), RTX 2080 Ti data, {context.CoreCount} cores");

        var paperSettings = LatencyFitSettings.PaperProtocol(1);
        paperSettings = paperSettings with { Training = paperSettings.Training with { Epochs = 5 } };
        watch.Restart();
        LatencyModelFitter.Fit(trainArchs, trainMs, valArchs, valMs, paperSettings, OfaSpace.W10);
        watch.Stop();
        yield return new SpeedFigure("train_7000_paper_protocol_100ep_wall_s", watch.Elapsed.TotalSeconds * 20, "s", "paper's MLP 128-400-400-400-1, SGD, batch 64: 5 epochs timed, ×20 (the paper's runs took ~1,660 s)");
    }

    private static Arch RandomArch(SeededRandom random)
    {
        var ks = Enumerable.Range(0, 20).Select(_ => random.Choice(OfaSpace.KernelSizeChoices)).ToArray();
        var e = Enumerable.Range(0, 20).Select(_ => random.Choice(OfaSpace.ExpandRatioChoices)).ToArray();
        var d = Enumerable.Range(0, 5).Select(_ => random.Choice(OfaSpace.DepthChoices)).ToArray();
        return Arch.Create(ks, e, d, 128 + (4 * random.NextInt(25)), OfaSpace.W10);
    }

    private static double Best(Action action, double budgetSeconds)
    {
        action();
        var best = double.PositiveInfinity;
        var total = Stopwatch.StartNew();
        for (var i = 0; i < 20 && (i < 3 || total.Elapsed.TotalSeconds < budgetSeconds); i++)
        {
            var w = Stopwatch.StartNew();
            action();
            best = Math.Min(best, w.Elapsed.TotalSeconds);
        }

        return best;
    }
}
