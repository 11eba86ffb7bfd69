using LatencyGate.Adaptation;
using LatencyGate.Adaptation.Features;
using LatencyGate.Diagnostics;
using LatencyGate.Predictors;
using LatencyGate.Randomness;
using LatencyGate.Spaces;
using Shouldly;
using Xunit;

namespace LatencyGate.Tests.Adaptation;

public sealed class StrategyTests
{
    private static readonly Arch[] Archs = AdaptationTestData.RandomArchs(400, 21);

    /// <summary>A synthetic device pair: the source is additive; the target rescales it and makes kernel-7 operators dearer.</summary>
    private static (LinearLatencyModel Source, Func<Arch, double> Target) SyntheticPair()
    {
        var features = new StructuredFeatures(OfaSpace.W12);
        var rng = new SeededRandom(7);
        var w = Enumerable.Range(0, StructuredFeatures.Count).Select(_ => 0.2 + rng.NextDouble()).ToArray();
        var source = new LinearLatencyModel(features, OfaSpace.W12, w, 2.0, "synthetic source");
        double Target(Arch a)
        {
            var f = new double[StructuredFeatures.Count];
            features.Compute(a, f);
            var extra = 0.0;
            for (var g = 0; g < OfaBlockShapes.BlockGroupCount; g++)
            {
                extra += (g % 9) / 3 == 2 ? 0.8 * f[g] : 0;
            }

            return (0.5 * source.PredictOne(a)) + extra + 1.0;
        }

        return (source, Target);
    }

    private static LatencyShot[] ShotsFrom(Func<Arch, double> target, int count) =>
        Archs.Take(count).Select(a => new LatencyShot(a, target(a))).ToArray();

    private static double TestMae(ILatencyPredictor p, Func<Arch, double> target) =>
        Archs.Skip(200).Average(a => Math.Abs(p.PredictOne(a) - target(a)));

    [Fact]
    public void Affine_recovers_a_pure_rescale_exactly()
    {
        var (source, _) = SyntheticPair();
        var shots = Archs.Take(6).Select(a => new LatencyShot(a, (3 * source.PredictOne(a)) + 0.5)).ToArray();
        var adapted = (AdaptedPredictor)new AffineStrategy().Adapt(source, shots, 1);
        adapted.Scale.ShouldBe(3, 1e-9);
        adapted.Offset.ShouldBe(0.5, 1e-6);
    }

    [Fact]
    public void Adaproxy_learns_a_per_operator_correction_that_affine_cannot()
    {
        var (source, target) = SyntheticPair();
        var shots = ShotsFrom(target, 60);
        var affine = TestMae(new AffineStrategy().Adapt(source, shots, 1), target);
        var adaproxy = TestMae(new AdaProxyStrategy().Adapt(source, shots, 1), target);
        adaproxy.ShouldBeLessThan(0.5 * affine);
    }

    [Fact]
    public void Full_fine_tuning_moves_toward_the_target_and_stays_near_the_base_with_few_shots()
    {
        var (source, target) = SyntheticPair();
        var many = TestMae(new FullStrategy().Adapt(source, ShotsFrom(target, 150), 1), target);
        var affine = TestMae(new AffineStrategy().Adapt(source, ShotsFrom(target, 150), 1), target);
        many.ShouldBeLessThan(affine);
        var one = new FullStrategy().Adapt(source, ShotsFrom(target, 1), 1);
        double.IsFinite(one.PredictOne(Archs[300])).ShouldBeTrue();
    }

    [Fact]
    public void Head_retrains_only_the_output_layer_and_recovers_a_linear_target_in_the_trunk_features()
    {
        var trunk = new FakeTrunk();
        var shots = Archs.Take(80).Select(a => new LatencyShot(a, trunk.Target(a))).ToArray();
        var adapted = new HeadStrategy().Adapt(trunk, shots, 1);
        Archs.Skip(200).Average(a => Math.Abs(adapted.PredictOne(a) - trunk.Target(a))).ShouldBeLessThan(0.05);
        Should.Throw<LatencyGateException>(() => new HeadStrategy().Adapt(SyntheticPair().Source, shots, 1)).Diagnostics[0].Code.ShouldBe("LG0203");
    }

    [Theory]
    [InlineData(-1.547, "affine: 1.2 × [", "] - 1.547 ms")]
    [InlineData(0.25, "affine: 1.2 × [", "] + 0.25 ms")]
    public void An_affine_description_writes_a_negative_offset_as_a_minus_not_plus_minus(double offset, string start, string end)
    {
        var adapted = new AdaptedPredictor(SyntheticPair().Source, "affine", 1.2, offset);
        adapted.Description.ShouldStartWith(start);
        adapted.Description.ShouldEndWith(end);
        adapted.Description.ShouldNotContain("+ -");
    }

    [Fact]
    public void Auto_reports_its_choice_with_cross_validated_errors()
    {
        var (source, target) = SyntheticPair();
        var shuffled = new AffineStrategy();
        var noisyBase = new AdaptedPredictor(source, "noise", 1, 0, new StructuredFeatures(OfaSpace.W12), Enumerable.Range(0, StructuredFeatures.Count).Select(i => i % 2 == 0 ? 3.0 : -0.5).ToArray());
        var choice = new AutoStrategy().Choose([noisyBase, source], ShotsFrom(target, 40), 1);
        choice.BaseIndex.ShouldBe(1);
        choice.Strategies.Count.ShouldBeGreaterThanOrEqualTo(3);
        choice.Strategy.ShouldBe(choice.Strategies.MinBy(s => s.CvMaeMs)!.Strategy);
        choice.Reason.ShouldContain("cross-validated MAE");
        var two = new AutoStrategy().Choose([source], ShotsFrom(target, 2), 1);
        two.Strategy.ShouldBe("affine");
        two.Reason.ShouldContain("too few");
        _ = shuffled;
    }

    [Fact]
    public void Auto_below_twenty_shots_keeps_adaproxy_unless_another_strategy_wins_by_more_than_one_standard_error()
    {
        var (source, target) = SyntheticPair();
        var rng = new SeededRandom(5);

        // Noisy shots of a plain rescale: affine is the right model, adaproxy nearly as good; the
        // rule keeps adaproxy whenever the CV gap is within one standard error, and says so.
        var shots = Archs.Take(12).Select(a => new LatencyShot(a, (0.5 * source.PredictOne(a)) * (1 + (0.02 * ((2 * rng.NextDouble()) - 1))))).ToArray();
        var choice = new AutoStrategy().Choose([source], shots, 1);
        var best = choice.Strategies.MinBy(s => s.CvMaeMs)!;

        // Never worse in cross-validation than the floors (here the rescale is the true model).
        choice.CvMaeMs.ShouldBeLessThanOrEqualTo(choice.Strategies.Where(s => s.Strategy is ConstantStrategy.StrategyName or RescaleStrategy.StrategyName).Min(s => s.CvMaeMs));
        if (choice.Strategy != best.Strategy)
        {
            choice.Strategy.ShouldBe(AutoStrategy.PreferredStrategy);
            choice.Reason.ShouldContain("one-standard-error rule");
        }

        // A target the base cannot rescale into (kernel-7 operators dearer): adaproxy wins outright.
        var structured = new AutoStrategy().Choose([source], ShotsFrom(target, 15), 1);
        structured.Strategy.ShouldBe("adaproxy");

        // Without adaproxy among the candidates the rule has nothing to lean to: the lowest CV error wins.
        var plain = new AutoStrategy([new AffineStrategy(), new FullStrategy()]).Choose([source], shots, 1);
        plain.Strategy.ShouldBe(plain.Strategies.MinBy(s => s.CvMaeMs)!.Strategy);
    }

    [Fact]
    public void Blended_base_weights_the_bases_by_rank_agreement_with_the_shots()
    {
        var (source, target) = SyntheticPair();
        var noisy = new AdaptedPredictor(source, "noise", 1, 0, new StructuredFeatures(OfaSpace.W12), Enumerable.Range(0, StructuredFeatures.Count).Select(i => i % 2 == 0 ? 3.0 : -0.5).ToArray());
        var shots = ShotsFrom(target, 20);
        var blend = BlendedBase.Fit([noisy, source], shots);
        blend.Weights.Sum().ShouldBe(1, 1e-12);
        blend.Weights[1].ShouldBeGreaterThan(blend.Weights[0]);

        // Each base is rescaled to the shots first: blending a base with itself is that base rescaled.
        var self = BlendedBase.Fit([source, source], shots);
        var scale = self.PredictOne(Archs[300]) / source.PredictOne(Archs[300]);
        (self.PredictOne(Archs[301]) / source.PredictOne(Archs[301])).ShouldBe(scale, 1e-9);
        TestMae(new AdaProxyStrategy().Adapt(blend, shots, 1), target).ShouldBeLessThan(TestMae(new AffineStrategy().Adapt(noisy, shots, 1), target));
    }

    [Fact]
    public void Strategies_reject_bad_shots_and_names_with_codes()
    {
        var (source, _) = SyntheticPair();
        Should.Throw<LatencyGateException>(() => StrategyCatalog.Get("bogus")).Diagnostics[0].Code.ShouldBe("LG0200");
        Should.Throw<LatencyGateException>(() => new AffineStrategy().Adapt(source, [], 1)).Diagnostics[0].Code.ShouldBe("LG0202");
        Should.Throw<LatencyGateException>(() => new AffineStrategy().Adapt(source, [new LatencyShot(Archs[0], -1)], 1)).Diagnostics[0].Code.ShouldBe("LG0204");
        StrategyCatalog.Names.ShouldBe(["head", "full", "affine", "adaproxy", "constant", "rescale", "source-prior", "auto"]);
    }

    private sealed class FakeTrunk : ITrunkModel
    {
        private readonly double[] _w = Enumerable.Range(0, 8).Select(i => 0.1 * (i + 1)).ToArray();

        public string Description => "fake trunk";

        public OfaSpace Space => OfaSpace.W12;

        public IntervalMethod IntervalMethod => IntervalMethod.None;

        public int HiddenSize => 8;

        public ReadOnlySpan<double> OutputWeights => _w;

        public double OutputBias => 1;

        public double TargetScale => 1;

        public double TargetShift => 0;

        public double Target(Arch a)
        {
            var h = new double[8];
            Hidden(a, h);
            return (2 * h[0]) + h[3] - (0.5 * h[7]) + 4;
        }

        public void Hidden(Arch arch, Span<double> hidden)
        {
            for (var i = 0; i < 8; i++)
            {
                hidden[i] = Math.Max(0, Math.Sin((arch.Resolution * (i + 1) * 0.01) + (arch.ActiveBlockCount * 0.3 * i)) + (arch.KernelSizes[i] * 0.1));
            }
        }

        public void Predict(ReadOnlySpan<Arch> archs, Span<double> latencyMs)
        {
            Span<double> h = stackalloc double[8];
            for (var i = 0; i < archs.Length; i++)
            {
                Hidden(archs[i], h);
                latencyMs[i] = OutputBias;
                for (var j = 0; j < 8; j++)
                {
                    latencyMs[i] += h[j] * _w[j];
                }
            }
        }

        public void PredictWithInterval(ReadOnlySpan<Arch> archs, double confidence, Span<LatencyEstimate> estimates)
        {
            var p = new double[archs.Length];
            Predict(archs, p);
            for (var i = 0; i < p.Length; i++)
            {
                estimates[i] = LatencyEstimate.Exact(p[i]);
            }
        }
    }
}
