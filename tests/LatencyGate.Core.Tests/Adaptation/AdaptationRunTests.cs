using LatencyGate.Adaptation;
using LatencyGate.Adaptation.Features;
using LatencyGate.Diagnostics;
using LatencyGate.Predictors;
using LatencyGate.Randomness;
using LatencyGate.Spaces;
using Shouldly;
using Xunit;

namespace LatencyGate.Tests.Adaptation;

public sealed class AdaptationRunTests
{
    [Fact]
    public void Auto_run_reports_its_choice_calibrates_on_the_rest_and_a_base_that_is_no_learned_predictor_cannot_be_stored()
    {
        var archs = AdaptationTestData.RandomArchs(120, 31);
        var features = new StructuredFeatures(OfaSpace.W12);
        var w = Enumerable.Range(0, StructuredFeatures.Count).Select(i => 0.5 + (i % 7 * 0.1)).ToArray();
        var source = new LinearLatencyModel(features, OfaSpace.W12, w, 1, "source");
        var rng = new SeededRandom(2);
        var measured = archs.Select(a => ((a, (1.7 * source.PredictOne(a)) + 0.3 + (0.05 * rng.NextGaussian())))).ToArray();
        var outcome = AdaptationRun.Run([source], measured, "auto", 25, 1);
        outcome.Shots.ShouldBe(25);
        outcome.Report.ShouldContain(l => l.StartsWith("auto chose", StringComparison.Ordinal) && l.Contains("cross-validated MAE"));
        outcome.HeldOut!.Count.ShouldBe(95);
        outcome.HeldOut.MapePct.ShouldBeLessThan(2);
        outcome.WithIntervals.CalibrationCount.ShouldBe(95);
        var path = Path.Combine(Path.GetTempPath(), "lg-never-written.safetensors");
        var refused = Should.Throw<LatencyGate.Diagnostics.LatencyGateException>(() => AdaptedPredictorFile.Save(path, outcome.WithIntervals, [source], outcome.Strategy, outcome.Report, new LatencyPredictorFile.Provenance(null, null, null, new Dictionary<string, double>())));
        refused.Diagnostics.Single().Code.ShouldBe(AdaptationErrors.NotStorable);
        refused.Diagnostics.Single().Message.ShouldContain("finetune");
        File.Exists(path).ShouldBeFalse();
    }

    [Fact]
    public void Affine_folds_into_a_learned_additive_predictor()
    {
        var knots = new[] { 128f, 224f };
        var weights = Enumerable.Range(0, AdditiveLatencyModel.FeatureCount(knots.Length)).Select(i => 0.01 * (i % 13)).ToArray();
        var learned = new LearnedLatencyPredictor(OfaSpace.W12, LatencyModelKind.Additive, null, LatencyGate.Learning.TargetScaler.Identity, new AdditiveLatencyModel(knots, weights, 2.0));
        var rescaled = LearnedRescale.Apply(learned, 1.5, 0.25);
        foreach (var a in AdaptationTestData.RandomArchs(10, 4))
        {
            rescaled.Predict(a).ShouldBe((1.5 * learned.Predict(a)) + 0.25, 1e-5 * learned.Predict(a)); // weights are stored at float32
        }
    }
}
