using System.Diagnostics;
using LatencyGate.Learning;
using LatencyGate.Measurements;
using LatencyGate.Numerics;
using LatencyGate.Predictors;
using LatencyGate.Spaces;
using LatencyGate.Spaces.Encodings;

namespace LatencyGate.Benchmarks;

/// <summary>
/// Within-device accuracy on the seed paper's OFA data with its split in file order (rows
/// 1–7,000 train, 7,001–8,500 validation, 8,501–10,000 test): our models, the paper's protocol
/// and ridge on the one-hot encoding, per device.
/// </summary>
internal sealed class WithinDeviceBenchmark : IAccuracyBenchmark
{
    private static readonly (string Device, string Column)[] Devices =
    [
        ("RTX 2080 Ti (bs64)", "lat_rtx2080ti_gpu_bs64_ms"),
        ("Tesla P40 (bs64)", "lat_teslap40_gpu_bs64_ms"),
        ("Note10 (LUT)", "lat_note10_lut_ms"),
    ];

    public string Name => "within-device";

    public IEnumerable<AccuracyRow> Run(BenchmarkContext context)
    {
        var path = context.DataPath("ofanas-perfest", "flat", "ofa_mbv3_paired_3devices.csv");
        var methods = (Environment.GetEnvironmentVariable("LG_BENCH_METHODS") ?? "ours,hybrid,ridge-onehot,paper").Split(',');
        foreach (var (device, column) in Devices)
        {
            var data = MeasurementsCsv.Read(path, OfaSpace.W10, column);
            if (data.DuplicateRows != 0 || data.Items.Count != 10_000)
            {
                throw new InvalidOperationException("expected 10,000 distinct archs in file order");
            }

            var archs = data.Items.Select(m => m.Arch).ToArray();
            var ms = data.Items.Select(m => m.LatencyMs).ToArray();
            var train = (archs[..7000], ms[..7000]);
            var val = (archs[7000..8500], ms[7000..8500]);
            var test = (archs[8500..], ms[8500..]);
            if (methods.Contains("ours"))
            {
                // What `fit` does with its defaults, given the 8,500 training and validation rows as its data.
                yield return Fit("fit (CLI default)", device, LatencyFitSettings.ForModel(LatencyFitSettings.DefaultModel, 1), train, val, test);
            }

            if (methods.Contains("hybrid"))
            {
                yield return Fit("ours: additive+mlp", device, LatencyFitSettings.Default(1), train, val, test);
            }

            // Tuning variants, run only when named in LG_BENCH_METHODS.
            var d = LatencyFitSettings.Default(1);
            if (methods.Contains("v-huber"))
            {
                yield return Fit("variant: huber", device, d with { Training = d.Training with { Loss = LossKind.Huber, HuberDelta = 0.5 } }, train, val, test);
            }

            if (methods.Contains("v-slow"))
            {
                yield return Fit("variant: lr 3e-4 wd 1e-2", device, d with { Training = d.Training with { Optimizer = new OptimizerSettings(OptimizerKind.AdamW, WeightDecay: 1e-2), Schedule = new LearningRateSchedule(ScheduleKind.Cosine, 3e-4, WarmupEpochs: 2, MinimumFraction: 0.01) } }, train, val, test);
            }

            if (methods.Contains("v-seed2"))
            {
                yield return Fit("variant: seed 2", device, LatencyFitSettings.Default(2), train, val, test);
            }

            if (methods.Contains("additive"))
            {
                yield return Fit("ours: additive per-layer ridge", device, new LatencyFitSettings { Kind = LatencyModelKind.Additive }, train, val, test);
            }

            if (methods.Contains("ridge-onehot"))
            {
                yield return RidgeOneHot(device, train, val, test);
            }

            if (methods.Contains("paper"))
            {
                yield return Fit("paper protocol: MLP SGD RMSE 100ep", device, LatencyFitSettings.PaperProtocol(1), train, val, test);
            }
        }
    }

    private static AccuracyRow Fit(string method, string device, LatencyFitSettings settings, (Arch[] A, double[] Y) train, (Arch[] A, double[] Y) val, (Arch[] A, double[] Y) test)
    {
        var result = LatencyModelFitter.Fit(train.A, train.Y, val.A, val.Y, settings, OfaSpace.W10, device);
        var predicted = new double[test.A.Length];
        result.Predictor.Predict(test.A, predicted);
        var extra = new Dictionary<string, object> { [result.CrossValidated ? "cv_mae_ms" : "val_mae_ms"] = result.Validation?.MaeMs ?? double.NaN };
        if (result.Additive is { } a)
        {
            extra["form"] = a.Chosen.Form.Name();
        }

        if (result.Training is { } t)
        {
            extra["epochs"] = t.EpochsRun;
            extra["best_epoch"] = t.BestEpoch + 1;
        }

        return Row(method, device, predicted, test.Y, result.Seconds) with { Extra = extra };
    }

    private static AccuracyRow RidgeOneHot(string device, (Arch[] A, double[] Y) train, (Arch[] A, double[] Y) val, (Arch[] A, double[] Y) test)
    {
        var watch = Stopwatch.StartNew();
        SparseRows Design(Arch[] archs)
        {
            var rows = new SparseRows(TutorialOneHotEncoding.Size);
            var idx = new int[TutorialOneHotEncoding.MaxNonZero];
            foreach (var a in archs)
            {
                var n = TutorialOneHotEncoding.Indices(a, idx);
                rows.AddRow(idx[..n].Order().Select(i => (i, 1.0)).ToArray());
            }

            return rows;
        }

        var x = Design(train.A);
        var xv = Design(val.A);
        (double[] W, double B) best = default;
        var bestMae = double.PositiveInfinity;
        var bestLambda = 0.0;
        foreach (var lambda in new[] { 1e-3, 1e-2, 1e-1, 1, 10 })
        {
            var fit = SparseRidge.Fit(x, train.Y, lambda);
            var mae = Enumerable.Range(0, val.A.Length).Average(i => Math.Abs(xv.Dot(i, fit.Weights) + fit.Intercept - val.Y[i]));
            if (mae < bestMae)
            {
                (best, bestMae, bestLambda) = (fit, mae, lambda);
            }
        }

        watch.Stop();
        var xt = Design(test.A);
        var predicted = Enumerable.Range(0, test.A.Length).Select(i => xt.Dot(i, best.W) + best.B).ToArray();
        return Row("baseline: ridge on one-hot-128", device, predicted, test.Y, watch.Elapsed.TotalSeconds) with
        {
            Extra = new Dictionary<string, object> { ["lambda"] = bestLambda, ["val_mae_ms"] = bestMae },
        };
    }

    private static AccuracyRow Row(string method, string device, double[] predicted, double[] measured, double seconds)
    {
        var m = LatencyMetrics.Compute(predicted, measured);
        return new AccuracyRow("within-device", method, device, 7000, m.Count, m.MaeMs, m.RmseMs, m.MapePct, m.Within10Pct, m.Spearman, m.Kendall, seconds);
    }
}
