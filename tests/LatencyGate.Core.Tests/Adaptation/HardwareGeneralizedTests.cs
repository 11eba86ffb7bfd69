using System.Globalization;
using LatencyGate.Adaptation;
using LatencyGate.Diagnostics;
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
    public void Specs_are_validated_with_a_code()
    {
        Should.Throw<LatencyGateException>(() => new HardwareSpec("bad", 0, 8, -1, 1000, 1).Validated()).Diagnostics.Count.ShouldBe(2);
        new HardwareSpec("ok", 1000, 8, 300, 5000, 1).Validated().Normalized().Length.ShouldBe(HardwareSpec.NormalizedNames.Length);
    }

    private static (Arch[] Archs, Dictionary<string, double[]> Columns) LoadHelp(int rows)
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
