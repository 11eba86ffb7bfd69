using System.Diagnostics;
using LatencyGate.Adaptation;
using LatencyGate.Predictors;
using LatencyGate.Predictors.Intervals;
using LatencyGate.Randomness;
using LatencyGate.Spaces;

namespace LatencyGate.Benchmarks.Adaptation;

/// <summary>
/// Hardware generalization from spec sheets. Leave-one-GPU-out over HELP's four GPUs (help/ofa; batch 1,
/// 32 and 64, the batch size an input): train on the other three GPUs (archs 0..3,999), test the held-out
/// GPU on archs 4,000..4,999 zero-shot and with 1 shot (a rescale; 3 seeds, median). Then trained on all
/// four HELP GPUs and applied to the seed paper's RTX 2080 Ti and P40 (w1.0 net, batch 64, no GPU sync:
/// expect an offset that one shot removes), tested on their last 1,500 rows. Intervals are conformal,
/// calibrated on held-out devices: leave-one-GPU-out inside the training GPUs (zero-shot: pooled over batch sizes; 1 shot: at the same batch size,
/// every calibration arch in turn plays the shot of a simulated rescale). Baseline: the analytical roofline alone.
/// </summary>
/// <remarks>
/// The dev variant (<c>adaptation-generalize-dev</c>) is where design choices are compared: it never
/// reads the test archs 4,000..4,999. It trains on every third arch of 0..2,999, calibrates on
/// 3,000..3,299 and tests on 3,300..3,999; it skips the seed-paper rows.
/// </remarks>
internal sealed class HardwareGeneralizationBenchmark(bool dev = false) : IAccuracyBenchmark
{
    private const int TrainArchs = 1000;
    private const int CalibrationArchs = 300;
    private static readonly ulong[] Seeds = [1, 2, 3];
    private static readonly int[] KShots = [20, 50];

    public string Name => dev ? "adaptation-generalize-dev" : "adaptation-generalize";

    public IEnumerable<AccuracyRow> Run(BenchmarkContext context)
    {
        var help = ReferenceTable.Load(context.DataPath("help", "ofa", "ofa_mbv3_gpu_latency.csv"), OfaSpace.W12);
        var pool = dev ? 3000 : 4000;
        var trainRows = Enumerable.Range(0, pool).Where(i => i % (pool / TrainArchs) == 0).Take(TrainArchs).ToArray();
        var testRows = dev ? Enumerable.Range(3300, 700).ToArray() : Enumerable.Range(4000, 1000).ToArray();
        var calibrationEnd = dev ? 3300 : 4000;
        var testArchs = testRows.Select(i => help.Archs[i]).ToArray();
        var zeroShot = new List<Evaluation>();
        var oneShot = new List<Evaluation>();
        var rows = new List<AccuracyRow>();
        foreach (var (heldKey, heldSpec) in GpuSpecSheets.Help)
        {
            var watch = Stopwatch.StartNew();
            var training = GpuSpecSheets.Help.Where(g => g.Key != heldKey).ToArray();
            var model = HardwareGeneralizedPredictor.Fit(Devices(help, training, trainRows));
            var roofline = HardwareGeneralizedPredictor.Fit(Devices(help, training, trainRows), physicalOnly: true);
            var calibration = NestedScores(help, training, trainRows, calibrationEnd);
            var fitSeconds = watch.Elapsed.TotalSeconds;
            foreach (var batch in GpuSpecSheets.HelpBatches)
            {
                var column = $"lat_ms_{heldKey}_{batch}";
                var measured = testRows.Select(i => help.Column(column)[i]).ToArray();
                var device = $"{heldSpec.Name} batch {batch}";
                var (z, o, extraRows) = EvaluateDevice(model, roofline, calibration, heldSpec.WithBatch(batch), OfaSpace.W12, help, column, testArchs, measured, fitSeconds, "generalize leave-one-GPU-out (HELP)", device, pool);
                zeroShot.Add(z);
                oneShot.Add(o);
                rows.AddRange(extraRows);
                rows.Add(WithinDeviceCeiling(help, column, pool, testArchs, measured, device));
            }
        }

        foreach (var row in rows)
        {
            yield return row;
        }

        yield return Summary(zeroShot, "zero-shot hw-generalized: median over 12 GPU×batch", testRows.Length);
        yield return Summary(oneShot, "1-shot hw-generalized + rescale: median over 12 GPU×batch", testRows.Length);
        if (dev)
        {
            yield break;
        }

        // Trained on all of HELP, applied to the seed paper's GPUs.
        var all = GpuSpecSheets.Help;
        var full = HardwareGeneralizedPredictor.Fit(Devices(help, all, trainRows));
        var fullRoofline = HardwareGeneralizedPredictor.Fit(Devices(help, all, trainRows), physicalOnly: true);
        var fullCalibration = NestedScores(help, all, trainRows, 4000);
        var paper = ReferenceTable.Load(context.DataPath("ofanas-perfest", "flat", "ofa_mbv3_paired_3devices.csv"), OfaSpace.W10);
        var paperTest = Enumerable.Range(paper.Archs.Length - 1500, 1500).ToArray();
        var paperArchs = paperTest.Select(i => paper.Archs[i]).ToArray();
        foreach (var (spec, column) in new[] { (GpuSpecSheets.Rtx2080Ti, "lat_rtx2080ti_gpu_bs64_ms"), (GpuSpecSheets.TeslaP40, "lat_teslap40_gpu_bs64_ms") })
        {
            var measured = paperTest.Select(i => paper.Column(column)[i]).ToArray();
            var (_, _, extraRows) = EvaluateDevice(full, fullRoofline, fullCalibration, spec, OfaSpace.W10, paper, column, paperArchs, measured, 0, "generalize HELP->seed paper GPUs", $"{spec.Name} batch 64 (seed paper)");
            foreach (var row in extraRows)
            {
                yield return row;
            }
        }
    }

    private static (Evaluation Zero, Evaluation One, List<AccuracyRow> Rows) EvaluateDevice(
        HardwareGeneralizedPredictor model,
        HardwareGeneralizedPredictor roofline,
        CalibrationScores calibration,
        HardwareSpec spec,
        OfaSpace space,
        ReferenceTable table,
        string column,
        Arch[] testArchs,
        double[] measured,
        double fitSeconds,
        string task,
        string device,
        int shotPool = 4000)
    {
        var rows = new List<AccuracyRow>();
        var roof = roofline.For(spec, space);
        var rp = new double[testArchs.Length];
        roof.Predict(testArchs, rp);
        rows.Add(Evaluation.Of(rp, measured, fitSeconds).ToRow(task, "zero-shot analytical roofline (baseline)", device, 0, testArchs.Length));

        var zeroPoint = model.For(spec, space);

        var zeroScores = calibration.ZeroShot(spec.BatchSize);
        var zero = new ConformalPredictor(zeroPoint, zeroScores, $"conformal on {zeroScores.Count} rows of held-out training GPUs, all batch sizes");
        var zp = new double[testArchs.Length];
        zero.Predict(testArchs, zp);
        var z = Evaluation.Of(zp, measured, fitSeconds).WithIntervals(zero, testArchs, measured);
        rows.Add(z.ToRow(task, "zero-shot hw-generalized (spec sheet)", device, 0, testArchs.Length, new Dictionary<string, object> { ["physical_scaling"] = model.SelectedScaling }));

        var runs = new List<Evaluation>();
        foreach (var seed in Seeds)
        {
            var rng = new SeededRandom(seed * 104729);
            var shotRow = rng.NextInt(Math.Min(shotPool, table.Archs.Length - testArchs.Length));
            var shot = new LatencyShot(table.Archs[shotRow], table.Column(column)[shotRow]);
            var adapted = new AffineStrategy().Adapt(zeroPoint, [shot], seed);
            var oneScores = calibration.OneShot(spec.BatchSize);
            var one = new ConformalPredictor(adapted, oneScores, $"conformal on {oneScores.Count} scores of held-out training GPUs at batch {spec.BatchSize} after simulated 1-shot rescales");
            var op = new double[testArchs.Length];
            one.Predict(testArchs, op);
            runs.Add(Evaluation.Of(op, measured, fitSeconds).WithIntervals(one, testArchs, measured));
        }

        var o = Evaluation.Median(runs);
        rows.Add(o.ToRow(task, "1-shot hw-generalized + rescale", device, 1, testArchs.Length, new Dictionary<string, object> { ["seeds"] = Seeds.Length }));

        // With the device's own shots the interval can be calibrated on the device itself (cross-conformal).
        foreach (var k in KShots)
        {
            var kRuns = new List<Evaluation>();
            foreach (var seed in Seeds)
            {
                var shots = table.RandomShots(column, Math.Min(shotPool, table.Archs.Length - testArchs.Length), k, new SeededRandom((seed * 7919) + (ulong)k));
                var watch = Stopwatch.StartNew();
                var adapted = CrossConformal.Adapt(new AutoStrategy(), zeroPoint, shots, seed);
                var seconds = watch.Elapsed.TotalSeconds;
                var kp = new double[testArchs.Length];
                adapted.Predict(testArchs, kp);
                kRuns.Add(Evaluation.Of(kp, measured, seconds).WithIntervals(adapted, testArchs, measured));
            }

            rows.Add(Evaluation.Median(kRuns).ToRow(task, $"{k}-shot hw-generalized + auto (cross-conformal on the shots)", device, k, testArchs.Length, new Dictionary<string, object> { ["seeds"] = Seeds.Length }));
        }

        return (z, o, rows);
    }

    /// <summary>
    /// What the data allows: `fit` with its defaults on the held-out GPU's *own* 4,000 training
    /// archs at this batch size (not zero-shot; a reference for how predictable the setting is at all).
    /// </summary>
    private static AccuracyRow WithinDeviceCeiling(ReferenceTable help, string column, int pool, Arch[] testArchs, double[] measured, string device)
    {
        var watch = Stopwatch.StartNew();
        // The call `fit` makes with its defaults (the cli-fit benchmark's), so the reference is what a user can reproduce.
        var y = help.Column(column);
        var own = LatencyModelFitter.Fit(help.Archs[..pool], y[..pool], LatencyFitSettings.ForModel(LatencyFitSettings.DefaultModel, 1), OfaSpace.W12, device).Predictor;
        var predicted = new double[testArchs.Length];
        own.Predict(testArchs, predicted);
        return Evaluation.Of(predicted, measured, watch.Elapsed.TotalSeconds).ToRow("generalize leave-one-GPU-out (HELP)", "reference: fit (CLI default) on own train-pool archs (not zero-shot)", device, pool, testArchs.Length);
    }

    private static AccuracyRow Summary(List<Evaluation> runs, string method, int nTest)
    {
        var median = Evaluation.Median(runs);
        var extra = new Dictionary<string, object>
        {
            ["min_coverage90_pct"] = Math.Round(runs.Min(r => r.Coverage90), 2),
            ["max_coverage90_pct"] = Math.Round(runs.Max(r => r.Coverage90), 2),
            ["max_false_pass_pct"] = Math.Round(runs.Max(r => r.FalsePass), 2),
            ["settings"] = runs.Count,
        };
        return median.ToRow("generalize leave-one-GPU-out (HELP)", method, "median of 4 GPUs x 3 batches", method.StartsWith('1') ? 1 : 0, nTest, extra);
    }

    private static List<DeviceMeasurements> Devices(ReferenceTable help, (string Key, HardwareSpec Spec)[] gpus, int[] rows)
    {
        var list = new List<DeviceMeasurements>();
        foreach (var (key, spec) in gpus)
        {
            foreach (var batch in GpuSpecSheets.HelpBatches)
            {
                list.Add(new DeviceMeasurements(spec.WithBatch(batch), OfaSpace.W12, help.Shots($"lat_ms_{key}_{batch}", rows)));
            }
        }

        return list;
    }

    /// <summary>
    /// Scores from leave-one-GPU-out inside the training GPUs: what a new GPU's errors look like, kept
    /// per batch size (the similar settings: host-bound batch 1 errs unlike batch 64). For 1 shot, every
    /// calibration arch in turn plays the shot (a rescale by its ratio) and the others are scored, so the
    /// scores follow the distribution of a random shot's rescale, not one draw of it.
    /// </summary>
    private static CalibrationScores NestedScores(ReferenceTable help, (string Key, HardwareSpec Spec)[] gpus, int[] trainRows, int calibrationEnd)
    {
        var zero = new Dictionary<int, List<double>>();
        var one = new Dictionary<int, List<double>>();
        foreach (var batch in GpuSpecSheets.HelpBatches)
        {
            zero[batch] = [];
            one[batch] = [];
        }

        var calibrationRows = Enumerable.Range(calibrationEnd - CalibrationArchs, CalibrationArchs).ToArray();
        var archs = calibrationRows.Select(i => help.Archs[i]).ToArray();
        foreach (var (key, spec) in gpus)
        {
            var inner = gpus.Where(g => g.Key != key).ToArray();
            var model = HardwareGeneralizedPredictor.Fit(Devices(help, inner, trainRows));
            foreach (var batch in GpuSpecSheets.HelpBatches)
            {
                var column = help.Column($"lat_ms_{key}_{batch}");
                var predictor = model.For(spec.WithBatch(batch), OfaSpace.W12);
                var predicted = new double[archs.Length];
                predictor.Predict(archs, predicted);
                var measured = calibrationRows.Select(i => column[i]).ToArray();
                zero[batch].AddRange(ConformalPredictor.Scores(predicted, measured));
                var logError = measured.Select((m, i) => Math.Log(m / predicted[i])).ToArray();
                for (var shot = 0; shot < logError.Length; shot += OneShotStride)
                {
                    for (var i = 0; i < logError.Length; i++)
                    {
                        if (i != shot)
                        {
                            one[batch].Add(Math.Abs(logError[i] - logError[shot]));
                        }
                    }
                }
            }
        }

        return new CalibrationScores(zero, one);
    }

    /// <summary>Every this many calibration archs plays the simulated shot.</summary>
    private const int OneShotStride = 10;

    private sealed record CalibrationScores(Dictionary<int, List<double>> ZeroShotByBatch, Dictionary<int, List<double>> OneShotByBatch)
    {
        /// <summary>
        /// Zero-shot errors are mostly one offset per device, so per batch size there would be only
        /// as many distinct errors as calibration GPUs (2–3): too few for a quantile. Pooled over
        /// batch sizes instead.
        /// </summary>
        public List<double> ZeroShot(int batch) => ZeroShotByBatch.Values.SelectMany(v => v).ToList();

        public List<double> OneShot(int batch) => OneShotByBatch[OneShotByBatch.ContainsKey(batch) ? batch : OneShotByBatch.Keys.Max()];
    }
}
