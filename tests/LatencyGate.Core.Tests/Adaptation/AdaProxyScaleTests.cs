using LatencyGate.Adaptation;
using LatencyGate.Adaptation.Features;
using LatencyGate.Predictors;
using LatencyGate.Randomness;
using LatencyGate.Spaces;
using Shouldly;
using Xunit;

namespace LatencyGate.Tests.Adaptation;

/// <summary>
/// adaproxy on a base that ranks the target's archs the wrong way (a phone table for a CPU): the free fit
/// weights the base at ≤ 0, which used to fall back to the affine rescale and so kept the base's ranking.
/// </summary>
public sealed class AdaProxyScaleTests
{
    private static readonly Arch[] Archs = AdaptationTestData.RandomArchs(400, 33);
    private static readonly StructuredFeatures Features = new(OfaSpace.W12);

    private static LinearLatencyModel Source()
    {
        var rng = new SeededRandom(11);
        var w = Enumerable.Range(0, StructuredFeatures.Count).Select(_ => 0.2 + rng.NextDouble()).ToArray();
        return new LinearLatencyModel(Features, OfaSpace.W12, w, 2.0, "synthetic phone");
    }

    /// <summary>Kernel-7 operators cost a lot; everything the base counts is cheaper the dearer the base says it is.</summary>
    private static double AgainstTheBase(LinearLatencyModel source, Arch a)
    {
        var f = new double[StructuredFeatures.Count];
        Features.Compute(a, f);
        var kernel7 = Enumerable.Range(0, OfaBlockShapes.BlockGroupCount).Sum(g => (g % 9) / 3 == 2 ? 3.0 * f[g] : 0);
        return 40 + kernel7 - (0.4 * source.PredictOne(a));
    }

    private static LatencyShot[] Shots(Func<Arch, double> target, int count) =>
        Archs.Take(count).Select(a => new LatencyShot(a, target(a))).ToArray();

    private static double TestMae(ILatencyPredictor p, Func<Arch, double> target) =>
        Archs.Skip(200).Average(a => Math.Abs(p.PredictOne(a) - target(a)));

    [Theory]
    [InlineData(20)]
    [InlineData(50)]
    public void A_base_weighted_below_zero_is_held_at_zero_and_the_correction_beats_the_affine_fallback(int shotCount)
    {
        var source = Source();
        double Target(Arch a) => AgainstTheBase(source, a);
        var shots = Shots(Target, shotCount);

        var adapted = new AdaProxyStrategy().Adapt(source, shots, 1).ShouldBeOfType<AdaptedPredictor>();
        var affine = new AffineStrategy().Adapt(source, shots, 1);

        adapted.Strategy.ShouldBe("adaproxy");
        adapted.Correction.ShouldNotBeNull();
        adapted.Scale.ShouldBe(0);
        TestMae(adapted, Target).ShouldBeLessThan(0.5 * TestMae(affine, Target));
        Archs.Skip(200).ShouldAllBe(a => adapted.PredictOne(a) > 0 && double.IsFinite(adapted.PredictOne(a)));
    }

    [Fact]
    public void The_report_says_when_the_base_was_weighted_at_zero()
    {
        var source = Source();
        var measured = Archs.Take(60).Select(a => (a, AgainstTheBase(source, a))).ToArray();
        var outcome = AdaptationRun.Run([source], measured, "auto", 30, 1);
        outcome.WithIntervals.Inner.ShouldBeOfType<AdaptedPredictor>().Scale.ShouldBe(0);
        outcome.Report.ShouldContain(line => line.StartsWith("note: the shots rank the archs better without the base", StringComparison.Ordinal));

        double Faithful(Arch a) => (0.5 * source.PredictOne(a)) + 1.0;
        AdaptationRun.Run([source], Archs.Take(60).Select(a => (a, Faithful(a))).ToArray(), "auto", 30, 1).Report
            .ShouldNotContain(line => line.Contains("weighted it at zero", StringComparison.Ordinal));
    }

    [Fact]
    public void A_base_that_ranks_the_target_well_keeps_a_positive_scale()
    {
        var source = Source();
        double Target(Arch a) => (0.5 * source.PredictOne(a)) + 1.0;
        var adapted = new AdaProxyStrategy().Adapt(source, Shots(Target, 30), 1).ShouldBeOfType<AdaptedPredictor>();
        adapted.Strategy.ShouldBe("adaproxy");
        adapted.Scale.ShouldBeGreaterThan(0.3);
    }

    [Fact]
    public void Noise_unrelated_to_the_archs_stays_with_the_affine_rescale()
    {
        // The target is the base plus noise the features cannot explain: a model without the base cannot win
        // by one standard error, so the base (and its ranking) is kept.
        var source = Source();
        var rng = new SeededRandom(4);
        var noise = Archs.ToDictionary(a => a.CanonicalKey, _ => rng.NextGaussian());
        double Target(Arch a) => (0.5 * source.PredictOne(a)) + 1.0 + (3 * noise[a.CanonicalKey]);
        var adapted = new AdaProxyStrategy().Adapt(source, Shots(Target, 20), 1).ShouldBeOfType<AdaptedPredictor>();
        adapted.Scale.ShouldBeGreaterThan(0);
    }
}
