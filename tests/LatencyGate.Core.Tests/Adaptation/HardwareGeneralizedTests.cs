using System.Globalization;
using LatencyGate.Adaptation;
using LatencyGate.Adaptation.Features;
using LatencyGate.Diagnostics;
using LatencyGate.Randomness;
using LatencyGate.Spaces;
using Shouldly;
using Xunit;

namespace LatencyGate.Tests.Adaptation;

public sealed class HardwareGeneralizedTests
{
    // Public spec sheets (CUDA cores, GB, GB/s, GFLOPS): test inputs, as in the benchmark.
    private static readonly (string Key, HardwareSpec Spec)[] Gpus =
    [
        ("2080ti", new HardwareSpec("RTX 2080 Ti", 4352, 11, 616, 13450, 64)),
        ("titan_rtx", new HardwareSpec("Titan RTX", 4608, 24, 672, 16310, 64)),
        ("titan_xp", new HardwareSpec("Titan Xp", 3840, 12, 547.7, 12150, 64)),
        ("v100", new HardwareSpec("V100", 5120, 32, 900, 14029, 64)),
    ];

    [ReferenceDataFact]
    public void Zero_shot_on_a_held_out_gpu_ranks_well_and_one_shot_rescale_lands_close()
    {
        var (archs, columns) = LoadHelp(400);
        var devices = new List<DeviceMeasurements>();
        foreach (var (key, spec) in Gpus.Where(g => g.Key != "2080ti"))
        {
            foreach (var batch in new[] { 32, 64 })
            {
                devices.Add(new DeviceMeasurements(spec.WithBatch(batch), OfaSpace.W12, archs.Take(300).Select((a, i) => new LatencyShot(a, columns[$"lat_ms_{key}_{batch}"][i])).ToArray()));
            }
        }

        var model = HardwareGeneralizedPredictor.Fit(devices);
        var predictor = model.For(Gpus[0].Spec.WithBatch(64), OfaSpace.W12);
        var measured = columns["lat_ms_2080ti_64"];
        var test = Enumerable.Range(300, 100).ToArray();
        var predicted = test.Select(i => predictor.PredictOne(archs[i])).ToArray();
        var truth = test.Select(i => measured[i]).ToArray();
        LatencyGate.Statistics.RankCorrelation.Spearman(predicted, truth).ShouldBeGreaterThan(0.9);
        var oneShot = new AffineStrategy().Adapt(predictor, [new LatencyShot(archs[0], measured[0])], 1);
        test.Average(i => Math.Abs(oneShot.PredictOne(archs[i]) - measured[i]) / measured[i]).ShouldBeLessThan(0.10);
    }

    [Fact]
    public void A_gpu_of_another_generation_in_training_does_not_move_a_new_gpus_level()
    {
        // Synthetic: latency = memory time × a per-batch efficiency, on three "typical" GPUs and one
        // 1.7× slower (another generation). The new GPU (typical) must get the typical level.
        var archs = SampleArchs(120, 5);
        var typical = new[] { new HardwareSpec("a", 4000, 11, 600, 13000, 32), new HardwareSpec("b", 4600, 24, 700, 16000, 32), new HardwareSpec("c", 5000, 32, 900, 14000, 32) };
        var odd = new HardwareSpec("odd", 3800, 12, 550, 12000, 32);
        var devices = new List<DeviceMeasurements>();
        foreach (var (spec, slowdown) in typical.Select(t => (t, 1.0)).Append((odd, 1.7)))
        {
            foreach (var batch in new[] { 32, 64 })
            {
                var hw = spec.WithBatch(batch);
                devices.Add(new DeviceMeasurements(hw, OfaSpace.W12, archs.Select(a => new LatencyShot(a, slowdown * Synthetic(a, hw))).ToArray()));
            }
        }

        var model = HardwareGeneralizedPredictor.Fit(devices);
        var fresh = new HardwareSpec("new", 4300, 16, 800, 15000, 64);
        var predictor = model.For(fresh, OfaSpace.W12);
        var test = SampleArchs(60, 6);
        var mape = test.Average(a => Math.Abs(predictor.PredictOne(a) / Synthetic(a, fresh) - 1));
        mape.ShouldBeLessThan(0.05, $"scaling {model.SelectedScaling}");
    }

    [Fact]
    public void Level_curve_interpolates_between_trained_batch_sizes_and_holds_outside_them()
    {
        var archs = SampleArchs(80, 7);
        var devices = new List<DeviceMeasurements>();
        foreach (var spec in new[] { new HardwareSpec("a", 4000, 11, 600, 13000, 1), new HardwareSpec("b", 4600, 24, 700, 16000, 1), new HardwareSpec("c", 5000, 32, 900, 14000, 1) })
        {
            foreach (var batch in new[] { 8, 32, 64 })
            {
                var hw = spec.WithBatch(batch);
                devices.Add(new DeviceMeasurements(hw, OfaSpace.W12, archs.Select(a => new LatencyShot(a, Synthetic(a, hw))).ToArray()));
            }
        }

        var model = HardwareGeneralizedPredictor.Fit(devices);
        var arch = archs[0];
        double At(int batch) => model.PredictOne(arch, OfaSpace.W12, devices[0].Hardware.WithBatch(batch));
        At(48).ShouldBeInRange(At(32), At(64));
        (At(256) / At(64)).ShouldBeInRange(1.0, 4.0 * 1.0001, "beyond the trained batch sizes the level holds; only the physical terms grow");
    }

    [Fact]
    public void Predictor_file_round_trip_keeps_every_weight_and_prediction()
    {
        var archs = SampleArchs(80, 9);
        var devices = new List<DeviceMeasurements>();
        foreach (var spec in new[] { new HardwareSpec("a", 4000, 11, 600, 13000, 1), new HardwareSpec("b", 4600, 24, 700, 16000, 1), new HardwareSpec("c", 5000, 32, 900, 14000, 1) })
        {
            foreach (var batch in new[] { 1, 32, 64 })
            {
                var hw = spec.WithBatch(batch);
                devices.Add(new DeviceMeasurements(hw, OfaSpace.W12, archs.Select(a => new LatencyShot(a, Synthetic(a, hw) + (0.02 * batch / 64.0 * a.Resolution / 224.0) + 0.5)).ToArray()));
            }
        }

        var model = HardwareGeneralizedPredictor.Fit(devices);
        var dir = Directory.CreateTempSubdirectory("lg-generalized-");
        try
        {
            var first = Path.Combine(dir.FullName, "a.safetensors");
            var second = Path.Combine(dir.FullName, "b.safetensors");
            GeneralizedPredictorFile.Save(first, model, OfaSpace.W12, new Dictionary<string, double>());
            var loaded = GeneralizedPredictorFile.Load(first, OfaSpace.W12);
            loaded.ResidualWeights.Count.ShouldBe(HardwareGeneralizedPredictor.ResidualLength(OfaSpace.W12));
            loaded.PhysicalWeights.Select(w => (float)w).ShouldBe(model.PhysicalWeights.Select(w => (float)w));
            loaded.ResidualWeights.Select(w => (float)w).ShouldBe(model.ResidualWeights.Select(w => (float)w));
            loaded.TrainedOn.ShouldBe(model.TrainedOn);
            GeneralizedPredictorFile.Save(second, loaded, OfaSpace.W12, new Dictionary<string, double>());
            File.ReadAllBytes(second).ShouldBe(File.ReadAllBytes(first));
            foreach (var batch in new[] { 1, 16, 64 })
            {
                var hw = new HardwareSpec("new", 4300, 16, 800, 15000, batch);
                foreach (var arch in archs.Take(10))
                {
                    loaded.PredictOne(arch, OfaSpace.W12, hw).ShouldBe(model.PredictOne(arch, OfaSpace.W12, hw), model.PredictOne(arch, OfaSpace.W12, hw) * 1e-5);
                }
            }
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    private static double Synthetic(Arch arch, HardwareSpec hw) =>
        (AnalyticalCost.Of(arch, OfaSpace.W12, hw).MemoryMs * (hw.BatchSize >= 64 ? 1.5 : 2.0)) + (0.004 * AnalyticalCost.Of(arch, OfaSpace.W12, hw).Launches);

    private static Arch[] SampleArchs(int n, ulong seed)
    {
        var sampler = new ArchSampler(OfaSpace.W12.Resolutions);
        var random = new SeededRandom(seed);
        return [.. Enumerable.Range(0, n).Select(_ => sampler.Sample(random))];
    }

    [Fact]
    public void Specs_are_validated_with_a_code()
    {
        Should.Throw<LatencyGateException>(() => new HardwareSpec("bad", 0, 8, -1, 1000, 1).Validated()).Diagnostics.Count.ShouldBe(2);
        new HardwareSpec("ok", 1000, 8, 300, 5000, 1).Validated().Normalized().Length.ShouldBe(HardwareSpec.NormalizedNames.Length);
    }

    internal static (Arch[] Archs, Dictionary<string, double[]> Columns) LoadHelp(int rows)
    {
        var lines = File.ReadLines(ReferenceData.PathOf("help", "ofa", "ofa_mbv3_gpu_latency.csv")).Take(rows + 1).ToArray();
        var header = lines[0].Split(',');
        var archs = new List<Arch>();
        var columns = header.Where(h => h.StartsWith("lat_", StringComparison.Ordinal)).ToDictionary(h => h, _ => new double[rows]);
        for (var r = 0; r < rows; r++)
        {
            var f = lines[r + 1].Split(',');
            int I(string name) => int.Parse(f[Array.IndexOf(header, name)], CultureInfo.InvariantCulture);
            archs.Add(Arch.Create(
                Enumerable.Range(0, 20).Select(i => I("ks" + i.ToString(CultureInfo.InvariantCulture))).ToArray(),
                Enumerable.Range(0, 20).Select(i => I("e" + i.ToString(CultureInfo.InvariantCulture))).ToArray(),
                Enumerable.Range(0, 5).Select(i => I("d" + i.ToString(CultureInfo.InvariantCulture))).ToArray(),
                I("r")));
            foreach (var (name, values) in columns)
            {
                values[r] = double.Parse(f[Array.IndexOf(header, name)], CultureInfo.InvariantCulture);
            }
        }

        return (archs.ToArray(), columns);
    }
}
