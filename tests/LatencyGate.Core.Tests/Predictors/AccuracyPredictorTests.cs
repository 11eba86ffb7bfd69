using System.Text.Json;
using LatencyGate.Predictors;
using LatencyGate.Spaces;
using Shouldly;
using LatencyGate.Spaces.Encodings;

namespace LatencyGate.Tests.Predictors;

public sealed class AccuracyPredictorTests
{
    [ReferenceDataFact]
    public void Raw_weights_reproduce_all_forty_golden_accuracies_in_one_batch()
    {
        ShouldReproduceGoldenAccuracies(LoadRaw());
    }

    /// <summary>All 40 golden accuracies to 1e-5 in one batch, the tutorial's 25 ms net at 0.81713.</summary>
    internal static void ShouldReproduceGoldenAccuracies(IAccuracyObjective predictor)
    {
        var (archs, expected) = GoldenCases();
        var scores = new double[archs.Length];
        predictor.Score(archs, scores);
        for (var i = 0; i < archs.Length; i++)
        {
            scores[i].ShouldBe(expected[i], 1e-5, $"case {i}");
        }

        scores[0].ShouldBe(0.81713, 1e-5);
    }

    [ReferenceDataFact]
    public void Encoding_matches_the_golden_feature_indices()
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(ReferenceData.PathOf("ofa-lut", "golden_vectors.json")));
        foreach (var c in doc.RootElement.GetProperty("cases").EnumerateArray())
        {
            var arch = ArchJson.Parse(c.GetProperty("arch").GetRawText(), OfaSpace.W12);
            var expected = c.GetProperty("feature_nonzero_idx").EnumerateArray().Select(v => v.GetInt32()).ToArray();
            var idx = new int[TutorialOneHotEncoding.MaxNonZero];
            var n = TutorialOneHotEncoding.Indices(arch, idx);
            idx[..n].Order().ShouldBe(expected);
        }
    }

    internal static OfaAccuracyPredictor LoadRaw()
    {
        using var manifest = JsonDocument.Parse(File.ReadAllText(ReferenceData.PathOf("ofa-acc-predictor", "mbv3_w1.2_acc_predictor.json")));
        var layout = manifest.RootElement.GetProperty("tensors").EnumerateArray()
            .Select(t => (t.GetProperty("name").GetString()!, t.GetProperty("shape").EnumerateArray().Select(v => v.GetInt32()).ToArray())).ToArray();
        var tensors = RawWeightFile.Read(ReferenceData.PathOf("ofa-acc-predictor", "mbv3_w1.2_acc_predictor.f32.bin"), layout);
        return OfaAccuracyPredictor.FromStateDict(tensors, "mbv3_w1.2_acc_predictor.f32.bin");
    }

    internal static (Arch[] Archs, double[] Expected) GoldenCases()
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(ReferenceData.PathOf("ofa-lut", "golden_vectors.json")));
        var cases = doc.RootElement.GetProperty("cases").EnumerateArray().ToArray();
        return (
            cases.Select(c => ArchJson.Parse(c.GetProperty("arch").GetRawText(), OfaSpace.W12)).ToArray(),
            cases.Select(c => c.GetProperty("pred_acc_tutorial_predictor").GetDouble()).ToArray());
    }
}
