using LatencyGate.Adaptation;
using LatencyGate.Adaptation.Features;
using LatencyGate.Diagnostics;
using LatencyGate.Predictors;
using LatencyGate.Predictors.Intervals;
using LatencyGate.Randomness;
using LatencyGate.Spaces;
using Shouldly;
using Xunit;

namespace LatencyGate.Tests.Adaptation;

public sealed class AdaptedPredictorCodecTests
{
    private static readonly Arch[] Archs = AdaptationTestData.RandomArchs(160, 41);
    private static readonly Arch[] Probe = AdaptationTestData.RandomArchs(60, 42);

    /// <summary>An additive source; the target rescales it, makes kernel-7 operators dearer, and adds noise.</summary>
    private static (LinearLatencyModel Source, (Arch, double)[] Measured) Synthetic()
    {
        var features = new StructuredFeatures(OfaSpace.W12);
        var rng = new SeededRandom(5);
        var w = Enumerable.Range(0, StructuredFeatures.Count).Select(_ => 0.2 + rng.NextDouble()).ToArray();
        var source = new LinearLatencyModel(features, OfaSpace.W12, w, 2.0, "synthetic source");
        var measured = Archs.Select(a =>
        {
            var f = new double[StructuredFeatures.Count];
            features.Compute(a, f);
            var extra = Enumerable.Range(0, OfaBlockShapes.BlockGroupCount).Sum(g => (g % 9) / 3 == 2 ? 0.8 * f[g] : 0);
            return (a, ((0.5 * source.PredictOne(a)) + extra + 1.0) * Math.Exp(0.03 * rng.NextGaussian()));
        }).ToArray();
        return (source, measured);
    }

    public static TheoryData<string, int?> Runs() => new()
    {
        { "affine", 30 },
        { "adaproxy", 30 },
        { "full", 30 },
        { "head", 30 },
        { "auto", 30 },
        { "adaproxy", null },
        { "head", null },
        { "auto", 2 },
    };

    [Theory]
    [MemberData(nameof(Runs))]
    public void Every_strategy_round_trips_bit_exactly_with_its_intervals(string strategy, int? shots)
    {
        var (source, measured) = Synthetic();
        var trunk = new TinyTrunk(source);
        ILatencyPredictor[] bases = strategy switch
        {
            "head" => [trunk],
            "auto" => [source, trunk],
            _ => [source],
        };
        var outcome = AdaptationRun.Run(bases, measured, strategy, shots, 3);
        var original = outcome.WithIntervals;

        var payload = AdaptedPredictorCodec.Encode(original, bases, outcome.Report);
        var decoded = AdaptedPredictorCodec.Decode(payload, bases);

        decoded.Notes.ShouldBe(outcome.Report);
        decoded.Predictor.Description.ShouldBe(original.Description);
        decoded.Predictor.IntervalMethod.ShouldBe(IntervalMethod.Conformal);
        AssertSamePredictions(original, decoded.Predictor);
        AdaptedPredictorCodec.Encode(decoded.Predictor, bases, decoded.Notes).ShouldBe(payload, "re-encoding the decoded predictor gives the same bytes");
        AdaptedPredictorCodec.Encode(AdaptationRun.Run(bases, measured, strategy, shots, 3).WithIntervals, bases, outcome.Report)
            .ShouldBe(payload, "the same adaptation always encodes to the same bytes");
    }

    [Fact]
    public void The_inner_predictor_of_each_strategy_is_the_kind_that_strategy_fits()
    {
        // Guards the theory above: it must exercise every node kind, not affine four times.
        var (source, measured) = Synthetic();
        Inner(AdaptationRun.Run([source], measured, "adaproxy", 30, 3)).ShouldBeOfType<AdaptedPredictor>().Correction.ShouldNotBeNull();
        Inner(AdaptationRun.Run([source], measured, "full", 30, 3)).ShouldBeOfType<LinearLatencyModel>();
        Inner(AdaptationRun.Run([new TinyTrunk(source)], measured, "head", 30, 3)).ShouldBeOfType<HeadAdaptedPredictor>();
        Inner(AdaptationRun.Run([source], measured, "affine", 30, 3)).ShouldBeOfType<AdaptedPredictor>().Correction.ShouldBeNull();

        static ILatencyPredictor Inner(AdaptationOutcome o) => o.WithIntervals.Inner;
    }

    [Fact]
    public void A_base_that_is_itself_conformal_is_referenced_not_stored()
    {
        // A proxy device's predictor is a calibrated (conformal) predictor; adapting on it must keep it a base.
        var (source, measured) = Synthetic();
        var proxy = ConformalPredictor.Calibrate(source, Archs.Take(20).ToArray(), measured.Take(20).Select(m => m.Item2).ToArray());
        var outcome = AdaptationRun.Run([proxy], measured, "auto", 40, 9);
        var payload = AdaptedPredictorCodec.Encode(outcome.WithIntervals, [proxy], []);
        var decoded = AdaptedPredictorCodec.Decode(payload, [proxy]).Predictor;
        AssertSamePredictions(outcome.WithIntervals, decoded);
    }

    [Fact]
    public void Unknown_version_malformed_and_truncated_payloads_throw_LG0240()
    {
        var (source, measured) = Synthetic();
        var outcome = AdaptationRun.Run([source], measured, "adaproxy", 30, 3);
        var payload = AdaptedPredictorCodec.Encode(outcome.WithIntervals, [source], outcome.Report);

        var newer = payload.ToArray();
        newer[8] = (byte)(AdaptedPredictorCodec.Version + 1);
        Should.Throw<LatencyGateException>(() => AdaptedPredictorCodec.Decode(newer, [source])).Diagnostics[0].Code.ShouldBe(StoredAdaptationErrors.Malformed);
        Should.Throw<LatencyGateException>(() => AdaptedPredictorCodec.Decode([], [source])).Diagnostics[0].Code.ShouldBe(StoredAdaptationErrors.Malformed);
        Should.Throw<LatencyGateException>(() => AdaptedPredictorCodec.Decode([.. payload, 0], [source])).Diagnostics[0].Code.ShouldBe(StoredAdaptationErrors.Malformed);
        for (var length = 0; length < payload.Length; length += 7)
        {
            Should.Throw<LatencyGateException>(() => AdaptedPredictorCodec.Decode(payload[..length], [source]));
        }
    }

    [Fact]
    public void Flipped_bytes_never_escape_as_anything_but_LatencyGateException()
    {
        // The cache's checksum catches flips; the codec must still never crash on what it is handed.
        var (source, measured) = Synthetic();
        var outcome = AdaptationRun.Run([source], measured, "adaproxy", 30, 3);
        var payload = AdaptedPredictorCodec.Encode(outcome.WithIntervals, [source], outcome.Report);
        var rng = new SeededRandom(11);
        for (var trial = 0; trial < 400; trial++)
        {
            var bad = payload.ToArray();
            bad[rng.NextInt(bad.Length)] ^= (byte)(1 + rng.NextInt(255));
            try
            {
                AdaptedPredictorCodec.Decode(bad, [source]);
            }
            catch (LatencyGateException)
            {
            }
        }
    }

    [Fact]
    public void Decoding_against_other_bases_is_refused_with_LG0241()
    {
        var (source, measured) = Synthetic();
        var trunk = new TinyTrunk(source);
        var head = AdaptationRun.Run([trunk], measured, "head", 30, 3);
        var payload = AdaptedPredictorCodec.Encode(head.WithIntervals, [trunk], []);
        Should.Throw<LatencyGateException>(() => AdaptedPredictorCodec.Decode(payload, [source])).Diagnostics[0].Code.ShouldBe(StoredAdaptationErrors.BaseMismatch);
        Should.Throw<LatencyGateException>(() => AdaptedPredictorCodec.Decode(payload, [trunk, source])).Diagnostics[0].Code.ShouldBe(StoredAdaptationErrors.BaseMismatch);
    }

    [Fact]
    public void A_predictor_of_an_unknown_kind_is_not_storable()
    {
        var (source, _) = Synthetic();
        var foreign = new TinyTrunk(source);
        AdaptedPredictorCodec.TryEncode(foreign, [source], [], out var why).ShouldBeNull();
        why!.ShouldContain(nameof(TinyTrunk));
        Should.Throw<LatencyGateException>(() => AdaptedPredictorCodec.Encode(foreign, [source], [])).Diagnostics[0].Code.ShouldBe(StoredAdaptationErrors.NotStorable);
    }

    private static void AssertSamePredictions(ILatencyPredictor expected, ILatencyPredictor actual)
    {
        var a = new double[Probe.Length];
        var b = new double[Probe.Length];
        expected.Predict(Probe, a);
        actual.Predict(Probe, b);
        b.ShouldBe(a);
        foreach (var confidence in new[] { 0.5, 0.9, 0.95, 0.999 })
        {
            var ea = new LatencyEstimate[Probe.Length];
            var eb = new LatencyEstimate[Probe.Length];
            expected.PredictWithInterval(Probe, confidence, ea);
            actual.PredictWithInterval(Probe, confidence, eb);
            eb.ShouldBe(ea);
        }
    }

    /// <summary>A small network over the structured features: a trunk for the <c>head</c> strategy.</summary>
    private sealed class TinyTrunk : PointPredictor, ITrunkModel
    {
        private const int Width = 6;
        private readonly LinearLatencyModel _source;
        private readonly double[][] _w;
        private readonly double[] _out;

        public TinyTrunk(LinearLatencyModel source)
            : base(source.Space)
        {
            _source = source;
            var rng = new SeededRandom(99);
            _w = Enumerable.Range(0, Width).Select(_ => Enumerable.Range(0, StructuredFeatures.Count).Select(_ => 0.05 * rng.NextGaussian()).ToArray()).ToArray();
            _out = Enumerable.Range(0, Width).Select(_ => 0.1 * rng.NextGaussian()).ToArray();
        }

        public override string Description => "tiny trunk";

        public int HiddenSize => Width;

        public ReadOnlySpan<double> OutputWeights => _out;

        public double OutputBias => 0.2;

        public double TargetScale => 10;

        public double TargetShift => 1;

        public void Hidden(Arch arch, Span<double> hidden)
        {
            var f = new double[StructuredFeatures.Count];
            _source.Features.Compute(arch, f);
            for (var j = 0; j < Width - 1; j++)
            {
                hidden[j] = Math.Tanh(f.Select((v, i) => v * _w[j][i]).Sum());
            }

            hidden[Width - 1] = _source.PredictOne(arch) / 10;
        }

        public override double PredictOne(Arch arch)
        {
            Span<double> h = stackalloc double[Width];
            Hidden(arch, h);
            var y = OutputBias;
            for (var j = 0; j < Width; j++)
            {
                y += h[j] * _out[j];
            }

            return (y * TargetScale) + TargetShift;
        }
    }
}
