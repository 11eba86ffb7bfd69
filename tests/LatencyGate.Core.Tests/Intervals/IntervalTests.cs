using LatencyGate.Adaptation;
using LatencyGate.Diagnostics;
using LatencyGate.Predictors;
using LatencyGate.Predictors.Intervals;
using LatencyGate.Randomness;
using LatencyGate.Spaces;
using LatencyGate.Tests.Adaptation;
using Shouldly;
using Xunit;

namespace LatencyGate.Tests.Intervals;

public sealed class IntervalTests
{
    private static readonly Arch[] Archs = AdaptationTestData.RandomArchs(3000, 8);

    private sealed class ResolutionPredictor(double factor) : PointPredictor(OfaSpace.W12)
    {
        public override string Description => "r²-proportional";

        public override double PredictOne(Arch arch) => factor * arch.Resolution * arch.Resolution / 1000.0;
    }

    [Fact]
    public void Split_conformal_covers_at_the_requested_rate_on_exchangeable_multiplicative_noise()
    {
        var rng = new SeededRandom(5);
        var inner = new ResolutionPredictor(1);
        var truth = Archs.Select(a => inner.PredictOne(a) * Math.Exp(0.1 * rng.NextGaussian())).ToArray();
        var conformal = ConformalPredictor.Calibrate(inner, Archs[..500], truth[..500]);
        conformal.IntervalMethod.ShouldBe(IntervalMethod.Conformal);
        foreach (var confidence in new[] { 0.8, 0.9, 0.95 })
        {
            var estimates = new LatencyEstimate[2500];
            conformal.PredictWithInterval(Archs[500..], confidence, estimates);
            var covered = Enumerable.Range(0, 2500).Count(i => truth[500 + i] >= estimates[i].LowerMs && truth[500 + i] <= estimates[i].UpperMs) / 2500.0;
            covered.ShouldBeInRange(confidence - 0.03, confidence + 0.03);
            estimates.ShouldAllBe(e => e.LowerMs <= e.Ms && e.Ms <= e.UpperMs);
        }

        conformal.HalfWidth(0.95).ShouldBeGreaterThan(conformal.HalfWidth(0.9));
    }

    [Fact]
    public void Too_few_scores_are_flagged_and_widened_and_bad_confidence_is_a_coded_error()
    {
        var inner = new ResolutionPredictor(1);
        var few = ConformalPredictor.Calibrate(inner, Archs[..5], Archs[..5].Select(a => inner.PredictOne(a) * 1.1).ToArray());
        few.IsFiniteSampleValid(0.95).ShouldBeFalse();
        few.HalfWidth(0.95).ShouldBeGreaterThanOrEqualTo(Math.Log(1.1) - 1e-12);
        Should.Throw<LatencyGateException>(() => few.HalfWidth(1.5)).Diagnostics[0].Code.ShouldBe("LG0205");
    }

    [Fact]
    public void Ensemble_spread_widens_with_disagreement_and_says_so()
    {
        var agree = new EnsemblePredictor([new ResolutionPredictor(1), new ResolutionPredictor(1.01), new ResolutionPredictor(0.99)]);
        var disagree = new EnsemblePredictor([new ResolutionPredictor(1), new ResolutionPredictor(1.5), new ResolutionPredictor(0.6)]);
        agree.IntervalMethod.ShouldBe(IntervalMethod.EnsembleSpread);
        var a = new LatencyEstimate[1];
        var d = new LatencyEstimate[1];
        agree.PredictWithInterval(Archs[..1], 0.9, a);
        disagree.PredictWithInterval(Archs[..1], 0.9, d);
        (d[0].UpperMs / d[0].LowerMs).ShouldBeGreaterThan(a[0].UpperMs / a[0].LowerMs);
        a[0].Ms.ShouldBe(new ResolutionPredictor(1).PredictOne(Archs[0]), 0.01 * a[0].Ms);
    }

    [Fact]
    public void Cross_conformal_wraps_an_adapted_predictor_with_out_of_fold_scores()
    {
        var inner = new ResolutionPredictor(1);
        var rng = new SeededRandom(9);
        var shots = Archs[..40].Select(a => new LatencyShot(a, 2 * inner.PredictOne(a) * Math.Exp(0.05 * rng.NextGaussian()))).ToArray();
        var conformal = CrossConformal.Adapt(new AffineStrategy(), inner, shots, 1);
        conformal.CalibrationCount.ShouldBe(40);
        conformal.IsFiniteSampleValid(0.95).ShouldBeTrue();
        conformal.HalfWidth(0.9).ShouldBeInRange(0.03, 0.2);
    }
}
