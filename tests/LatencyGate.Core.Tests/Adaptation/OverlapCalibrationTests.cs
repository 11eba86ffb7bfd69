using LatencyGate.Adaptation;
using LatencyGate.Predictors;
using LatencyGate.Predictors.Intervals;
using LatencyGate.Spaces;
using Shouldly;
using Xunit;

namespace LatencyGate.Tests.Adaptation;

public sealed class OverlapCalibrationTests
{
    [ReferenceDataFact]
    public void Calibration_sets_aside_the_bases_training_archs_or_widens_and_warns()
    {
        // Base: the default fit on RTX 2080 Ti batch-64 archs 0–599. Target: Titan Xp batch 64.
        var (archs, columns) = HardwareGeneralizedTests.LoadHelp(3000);
        var source = columns["lat_ms_2080ti_64"];
        var target = columns["lat_ms_titan_xp_64"];
        var basePredictor = LatencyModelFitter.Fit(archs[..600], source[..600], LatencyFitSettings.ForModel(LatencyFitSettings.DefaultModel, 1), OfaSpace.W12).Predictor;
        var testArchs = archs[2000..3000];
        var testMs = target[2000..3000];

        // Measurements half among the base's training archs, half not: intervals are calibrated on the
        // unseen ones only and cover held-out archs within 5 points of nominal.
        var rows = Enumerable.Range(0, 150).Concat(Enumerable.Range(1000, 150)).ToArray();
        var measurements = rows.Select(i => (archs[i], target[i])).ToArray();
        var outcome = AdaptationRun.Run([basePredictor], measurements, "adaproxy", 20, 1);
        outcome.Warning.ShouldBeNull();
        outcome.WithIntervals.CalibrationDescription.ShouldContain("the base was not trained on");
        outcome.WithIntervals.CalibrationCount.ShouldBeLessThan(280 - 100);
        Coverage(outcome.WithIntervals, testArchs, testMs, 0.9).ShouldBeGreaterThanOrEqualTo(85.0);

        // Every measurement among the base's training archs and all of them shots: nothing unseen to
        // calibrate on, so the intervals are widened and the run warns.
        var seenOnly = Enumerable.Range(0, 60).Select(i => (archs[i], target[i])).ToArray();
        var widened = AdaptationRun.Run([basePredictor], seenOnly, "adaproxy", null, 1);
        widened.Warning.ShouldNotBeNull();
        widened.Warning.ShouldContain("trained on");
        widened.Report.ShouldContain(l => l.StartsWith("warning: ", StringComparison.Ordinal));
        var plain = CrossConformal.Adapt(new AdaProxyStrategy(), basePredictor, seenOnly.Select(m => new LatencyShot(m.Item1, m.Item2)).ToArray(), 1);
        // Another shot order than the run's (so other folds): the widening dominates that difference.
        widened.WithIntervals.HalfWidth(0.9).ShouldBeGreaterThan(0.75 * OverlapCalibration.Widening * plain.HalfWidth(0.9));
    }

    private static double Coverage(ILatencyPredictor predictor, Arch[] archs, double[] measured, double confidence)
    {
        var estimates = new LatencyEstimate[archs.Length];
        predictor.PredictWithInterval(archs, confidence, estimates);
        return 100.0 * Enumerable.Range(0, archs.Length).Count(i => measured[i] >= estimates[i].LowerMs && measured[i] <= estimates[i].UpperMs) / archs.Length;
    }
}

public sealed class AutoFloorTests
{
    [ReferenceDataFact]
    public void With_more_shots_auto_never_chooses_a_candidate_that_cross_validates_worse_than_the_constant_or_the_rescale()
    {
        // A hard case from the issue: a compute-bound base (RTX 2080 Ti, batch 64) for a host-bound
        // target (Titan RTX, batch 1), where the median of the shots is hard to beat.
        var (archs, columns) = HardwareGeneralizedTests.LoadHelp(1200);
        var basePredictor = LatencyModelFitter.Fit(archs[..600], columns["lat_ms_2080ti_64"][..600], LatencyFitSettings.ForModel(LatencyFitSettings.DefaultModel, 1), OfaSpace.W12).Predictor;
        var target = columns["lat_ms_titan_rtx_1"];
        var pool = Enumerable.Range(600, 600).ToArray();
        new LatencyGate.Randomness.SeededRandom(3).Shuffle(pool.AsSpan());
        IReadOnlyList<string>? before = null;
        foreach (var k in new[] { 5, 10, 20, 40 })
        {
            // Nested shot sets: every K includes the shots of the smaller ones.
            var shots = pool.Take(k).Select(i => new LatencyShot(archs[i], target[i])).ToArray();
            var choice = new AutoStrategy().Choose([basePredictor], shots, 1);
            var floors = choice.Strategies.Where(s => s.Strategy is ConstantStrategy.StrategyName or RescaleStrategy.StrategyName).ToArray();
            floors.Select(s => s.Strategy).Order().ShouldBe([ConstantStrategy.StrategyName, RescaleStrategy.StrategyName]);
            choice.CvMaeMs.ShouldBeLessThanOrEqualTo(floors.Min(s => s.CvMaeMs), $"K={k}: {choice.Reason}");
            var labels = choice.Strategies.Select(s => s.Label).ToArray();
            if (before is not null)
            {
                labels.ShouldBeSubsetOf(labels.Union(before));
                before.ShouldBeSubsetOf(labels, "more shots never remove a candidate");
            }

            before = labels;
        }
    }
}
