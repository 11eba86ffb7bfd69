using LatencyGate.Learning;
using LatencyGate.Measurements;
using LatencyGate.Predictors;
using LatencyGate.Spaces;
using Shouldly;

namespace LatencyGate.Tests.Predictors;

public sealed class LatencyFitTests
{
    [ReferenceDataFact]
    public void Additive_model_reproduces_lut_sums_on_held_out_archs()
    {
        // ~900 layer-key costs: a few thousand rows determine them (1,000 would leave the system nearly square).
        var (archs, ms) = Load("lat_note10_lut_ms", 4000);
        var result = LatencyModelFitter.Fit(archs[..3500], ms[..3500], archs[3500..], ms[3500..], new LatencyFitSettings { Kind = LatencyModelKind.Additive }, OfaSpace.W10);
        result.Validation!.MaeMs.ShouldBeLessThan(0.06);
    }

    [ReferenceDataFact]
    public void Hybrid_fit_beats_its_additive_base_on_gpu_data_and_round_trips_bit_exactly()
    {
        var (archs, ms) = Load("lat_rtx2080ti_gpu_bs64_ms", 1500);
        var settings = LatencyFitSettings.Default(3) with { Hidden = [64, 64], Training = LatencyFitSettings.Default(3).Training with { Epochs = 12, Patience = 0 } };
        var result = LatencyModelFitter.Fit(archs[..1200], ms[..1200], archs[1200..], ms[1200..], settings, OfaSpace.W10);
        // Its additive base is the one the hybrid fitted (and stores) on the same 1,200 archs: judged on the
        // same 300 held-out archs, not refitted.
        var additive = LatencyMetrics.Compute(archs[1200..].Select(result.Additive!.Model.Predict).ToArray(), ms[1200..]);
        result.Validation!.MaeMs.ShouldBeLessThan(additive.MaeMs);
        result.Validation.Spearman.ShouldBeGreaterThan(0.99);

        var path = Path.Combine(Path.GetTempPath(), $"lg-fit-{Guid.NewGuid():N}.safetensors");
        try
        {
            LatencyPredictorFile.Save(path, result.Predictor, new LatencyPredictorFile.Provenance("rtx", 64, new string('a', 64), new Dictionary<string, double> { ["validation_mae_ms"] = result.Validation.MaeMs }));
            var loaded = LatencyPredictorFile.Load(path, OfaSpace.W10);
            loaded.Kind.ShouldBe(LatencyModelKind.AdditiveMlp);
            var before = new double[300];
            var after = new double[300];
            result.Predictor.Predict(archs[1200..], before);
            loaded.Predict(archs[1200..], after);
            after.ShouldBe(before);
            Should.Throw<LatencyGate.Diagnostics.LatencyGateException>(() => LatencyPredictorFile.Load(path, OfaSpace.W12)).Diagnostics.Single().Code.ShouldBe("LG0155");
        }
        finally
        {
            File.Delete(path);
        }
    }

    [ReferenceDataFact]
    public void Same_seed_gives_identical_weights_with_one_or_two_threads()
    {
        var (archs, ms) = Load("lat_teslap40_gpu_bs64_ms", 400);
        byte[] Fit(int threads)
        {
            using var _ = Parallelism.Limit(threads);
            var settings = LatencyFitSettings.Default(9) with { Hidden = [48, 48], Training = LatencyFitSettings.Default(9).Training with { Epochs = 3 } };
            var p = LatencyModelFitter.Fit(archs, ms, settings, OfaSpace.W10).Predictor;
            return p.Network!.ToTensors("").SelectMany(t => t.Values).Concat(p.Additive!.Weights.Select(w => (float)w)).SelectMany(BitConverter.GetBytes).ToArray();
        }

        Fit(1).ShouldBe(Fit(2));
    }

    private static (Arch[] Archs, double[] Ms) Load(string column, int count)
    {
        var set = MeasurementsCsv.Read(ReferenceData.PathOf("ofanas-perfest", "flat", "ofa_mbv3_paired_3devices.csv"), OfaSpace.W10, column);
        return (set.Items.Take(count).Select(i => i.Arch).ToArray(), set.Items.Take(count).Select(i => i.LatencyMs).ToArray());
    }
}
