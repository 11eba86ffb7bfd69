using LatencyGate.Adaptation;
using LatencyGate.Numerics;
using LatencyGate.Diagnostics;
using LatencyGate.Learning;
using LatencyGate.Predictors;
using LatencyGate.Spaces;
using Shouldly;
using Xunit;

namespace LatencyGate.Tests.Adaptation;

/// <summary><c>full</c> on learned networks: every layer fine-tuned with L2-SP toward the rescaled base.</summary>
public sealed class FullNetworkTests
{
    private static readonly Arch[] Probe = AdaptationTestData.RandomArchs(40, 93);

    public static TheoryData<string> Kinds() => ["mlp", "additive+mlp"];

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Full_fine_tunes_a_network_base_and_beats_the_base_and_its_rescale_on_a_shifted_target(string kind)
    {
        var basePredictor = Base(kind);
        var target = LearnedTrunks.Target;
        var shots = Shots(target.Take(150));
        var test = target.Skip(200).ToArray();
        var full = new FullStrategy();
        full.Supports(basePredictor).ShouldBeTrue();
        var adapted = full.Adapt(basePredictor, shots, 5).ShouldBeOfType<FineTunedNetworkPredictor>();
        adapted.Description.ShouldStartWith("full: [");
        adapted.Tuned.Network!.Shape.ShouldBe(basePredictor.Network!.Shape);

        var (a, b) = RobustAffine.Fit(basePredictor.PredictAll(shots.Select(s => s.Arch).ToArray()), shots.Select(s => s.LatencyMs).ToArray());
        var rescaled = NetworkFineTuner.Rescaled(basePredictor, a, b, shots);
        var mae = Mae(adapted, test);
        mae.ShouldBeLessThan(0.5 * Mae(basePredictor, test));
        mae.ShouldBeLessThan(Mae(rescaled, test), "fine-tuning learns shape beyond the affine rescale (3 % noise bounds how much)");
        adapted.PredictAll(Probe).ShouldBe(Probe.Select(p => adapted.PredictAll([p])[0]).ToArray(), "batched and one-by-one prediction agree exactly");
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void The_start_is_the_base_rescaled_with_the_base_weights(string kind)
    {
        var basePredictor = Base(kind);
        var shots = Shots(LearnedTrunks.Target.Take(30));
        var start = NetworkFineTuner.Rescaled(basePredictor, 0.6, 0.5, shots);
        var expected = basePredictor.PredictAll(Probe).Select(v => (0.6 * v) + 0.5).ToArray();
        var actual = start.PredictAll(Probe);
        for (var i = 0; i < Probe.Length; i++)
        {
            actual[i].ShouldBe(expected[i], 1e-4 * Math.Abs(expected[i]));
        }
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void A_larger_lambda_keeps_the_weights_closer_to_the_base(string kind)
    {
        var basePredictor = Base(kind);
        var shots = Shots(LearnedTrunks.Target.Take(100));
        var start = NetworkFineTuner.Rescaled(basePredictor, 0.6, 0.5, shots);
        var data = NetworkFineTuner.Prepare(start, shots);
        var distances = new[] { 1e-4, 1e-1, 1e2 }
            .Select(l => NetworkFineTuner.SquaredDistance(NetworkFineTuner.Train(data, null, l, 1, FineTuneBudget.Default).Network!, start.Network!))
            .ToArray();
        distances[0].ShouldBeGreaterThan(0);
        distances[1].ShouldBeLessThan(distances[0]);
        distances[2].ShouldBeLessThan(0.5 * distances[1]);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Same_seed_same_bytes_whatever_the_thread_count(string kind)
    {
        var basePredictor = Base(kind);
        var shots = Shots(LearnedTrunks.Target.Take(120));
        byte[] Run(int threads)
        {
            using var limit = Parallelism.Limit(threads);
            return AdaptedPredictorCodec.Encode(new FullStrategy().Adapt(basePredictor, shots, 7), [basePredictor], []);
        }

        var one = Run(1);
        Run(2).ShouldBe(one);
        Run(2).ShouldBe(one);
    }

    [Theory]
    [InlineData("mlp", 40)]
    [InlineData("additive+mlp", 40)]
    [InlineData("additive+mlp", null)]
    public void The_fine_tuned_network_round_trips_through_the_codec_bit_exactly(string kind, int? shots)
    {
        var basePredictor = Base(kind);
        var measured = LearnedTrunks.Target.Take(120).ToArray();
        var outcome = AdaptationRun.Run([basePredictor], measured, "full", shots, 3);
        outcome.WithIntervals.Inner.ShouldBeOfType<FineTunedNetworkPredictor>();
        var payload = AdaptedPredictorCodec.Encode(outcome.WithIntervals, [basePredictor], outcome.Report);
        var decoded = AdaptedPredictorCodec.Decode(payload, [basePredictor]).Predictor;
        decoded.Description.ShouldBe(outcome.WithIntervals.Description);
        decoded.PredictAll(Probe).ShouldBe(outcome.WithIntervals.PredictAll(Probe));
        var expected = new LatencyEstimate[Probe.Length];
        var actual = new LatencyEstimate[Probe.Length];
        outcome.WithIntervals.PredictWithInterval(Probe, 0.9, expected);
        decoded.PredictWithInterval(Probe, 0.9, actual);
        actual.ShouldBe(expected);
        AdaptedPredictorCodec.Encode(decoded, [basePredictor], outcome.Report).ShouldBe(payload);

        // Another network of another shape is not the base the payload was made from.
        var other = LearnedTrunks.RandomMlp();
        Should.Throw<LatencyGateException>(() => AdaptedPredictorCodec.Decode(payload, [other])).Diagnostics[0].Code.ShouldBe(StoredAdaptationErrors.BaseMismatch);
    }

    [Fact]
    public void Auto_cross_validates_full_on_a_network_base()
    {
        var shots = Shots(LearnedTrunks.Target.Take(40));
        var choice = new AutoStrategy().Choose([LearnedTrunks.Hybrid], shots, 2);
        choice.Strategies.Select(s => s.Strategy).ShouldContain("full");
        choice.Reason.ShouldContain("full");
    }

    [Fact]
    public void A_base_without_a_network_is_still_LG0203()
    {
        var shots = Shots(LearnedTrunks.Target.Take(10));
        var affine = new AffineStrategy().Adapt(LearnedTrunks.Hybrid, shots, 1);
        var full = new FullStrategy();
        full.Supports(affine).ShouldBeFalse();
        var error = Should.Throw<LatencyGateException>(() => full.Adapt(affine, shots, 1)).Diagnostics.Single();
        error.Code.ShouldBe(AdaptationErrors.IncompatibleBase);
        error.Message.ShouldContain("adaproxy");
    }

    private static LearnedLatencyPredictor Base(string kind) => kind == "mlp" ? LearnedTrunks.FittedOneHotMlp : LearnedTrunks.Hybrid;

    private static LatencyShot[] Shots(IEnumerable<(Arch, double)> rows) => rows.Select(t => new LatencyShot(t.Item1, t.Item2)).ToArray();

    private static double Mae(ILatencyPredictor p, (Arch, double)[] rows) =>
        p.PredictAll(rows.Select(t => t.Item1).ToArray()).Select((v, i) => Math.Abs(v - rows[i].Item2)).Average();
}
