using LatencyGate.Adaptation;
using LatencyGate.Adaptation.Features;
using LatencyGate.Diagnostics;
using LatencyGate.Learning.WeightFiles;
using LatencyGate.Predictors;
using LatencyGate.Randomness;
using LatencyGate.Spaces;
using Shouldly;
using Xunit;

namespace LatencyGate.Tests.Adaptation;

/// <summary>A library of bases adapted one by one and averaged (<see cref="LibraryEnsemble"/>), as auto uses it with several bases.</summary>
public sealed class LibraryEnsembleTests : IDisposable
{
    private static readonly Arch[] Archs = AdaptationTestData.RandomArchs(300, 61);
    private static readonly Arch[] Probe = AdaptationTestData.RandomArchs(60, 62);
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("lg-library-");

    public void Dispose() => _dir.Delete(recursive: true);

    /// <summary>
    /// Three source devices that each get a different part of the target wrong (per-operator weights
    /// perturbed independently): no single base is right, their average is closer.
    /// </summary>
    private static (LinearLatencyModel[] Sources, Func<Arch, double> Target) Library()
    {
        var features = new StructuredFeatures(OfaSpace.W12);
        var rng = new SeededRandom(13);
        var truth = Enumerable.Range(0, StructuredFeatures.Count).Select(_ => 0.2 + rng.NextDouble()).ToArray();
        var sources = Enumerable.Range(0, 3).Select(k => new LinearLatencyModel(
            features,
            OfaSpace.W12,
            truth.Select(w => w * Math.Exp(0.5 * rng.NextGaussian())).ToArray(),
            1.0,
            $"source {k}")).ToArray();
        var exact = new LinearLatencyModel(features, OfaSpace.W12, truth, 1.0, "truth");
        return (sources, a => 0.7 * exact.PredictOne(a));
    }

    private static LatencyShot[] Shots(Func<Arch, double> target, int count) =>
        Archs.Take(count).Select(a => new LatencyShot(a, target(a))).ToArray();

    private static double TestMae(ILatencyPredictor p, Func<Arch, double> target) =>
        Archs.Skip(150).Average(a => Math.Abs(p.PredictOne(a) - target(a)));

    [Fact]
    public void Equal_weights_give_the_geometric_mean_of_the_adapted_bases()
    {
        var (sources, target) = Library();
        var shots = Shots(target, 10);
        var ensemble = LibraryEnsemble.Fit(new AdaProxyStrategy(), sources, shots, 1);
        ensemble.Weights.ShouldAllBe(w => Math.Abs(w - (1.0 / 3)) < 1e-12);
        var members = sources.Select(s => new AdaProxyStrategy().Adapt(s, shots, 1)).ToArray();
        foreach (var a in Probe.Take(10))
        {
            var expected = Math.Exp(members.Average(m => Math.Log(m.PredictOne(a))));
            ensemble.PredictOne(a).ShouldBe(expected, 1e-9 * expected);
        }

        // The batched path and the one-arch path agree exactly, whatever the batch.
        var batched = ensemble.PredictAll(Probe);
        Probe.Select(ensemble.PredictOne).ToArray().ShouldBe(batched);
    }

    [Fact]
    public void Weights_by_cross_validated_error_favour_the_base_that_adapts_best()
    {
        // The target is a rescale of source 0, which adapts exactly; source 1 does not.
        var (sources, _) = Library();
        var shots = Shots(a => 2 * sources[0].PredictOne(a), 12);
        var ensemble = LibraryEnsemble.Fit(new AdaProxyStrategy(), sources[..2], shots, 1, EnsembleWeighting.InverseCvError);
        ensemble.Weights.Sum().ShouldBe(1, 1e-12);
        ensemble.Weights[0].ShouldBeGreaterThan(0.9);
    }

    [Fact]
    public void Auto_with_a_library_chooses_the_ensemble_when_no_single_base_is_right_and_says_so()
    {
        var (sources, target) = Library();
        var shots = Shots(target, 10);
        var choice = new AutoStrategy().Choose(sources, shots, 1);
        choice.IsEnsemble.ShouldBeTrue(choice.Reason);
        choice.Strategy.ShouldBe(LibraryEnsemble.StrategyName);
        choice.BaseIndices.ShouldBe([0, 1, 2]);
        choice.Reason.ShouldContain(LibraryEnsemble.StrategyName);
        choice.Strategies.ShouldContain(s => s.Strategy == LibraryEnsemble.StrategyName && s.BaseIndex == -1);
        double.IsNaN(choice.CvMaeMs).ShouldBeFalse();
        TestMae(choice.Predictor, target).ShouldBeLessThan(TestMae(new AdaProxyStrategy().Adapt(sources[choice.BaseIndex], shots, 1), target));

        // One base: nothing to ensemble, auto is what it was.
        new AutoStrategy().Choose([sources[0]], shots, 1).IsEnsemble.ShouldBeFalse();
        new AutoStrategy(library: LibraryMode.None).Choose(sources, shots, 1).IsEnsemble.ShouldBeFalse();
    }

    [Fact]
    public void A_library_ensemble_round_trips_through_the_codec_bit_exactly_with_its_intervals()
    {
        var (sources, target) = Library();
        var all = Archs.Select(a => (a, target(a))).ToArray();

        // 10 shots calibrated on the rest; then 12 measurements that are all shots (cross-conformal by refits).
        foreach (var (measured, shots) in new[] { (all, (int?)10), (all[..12], null) })
        {
            var outcome = AdaptationRun.Run(sources, measured, "auto", shots, 3);
            outcome.Strategy.ShouldBe(LibraryEnsemble.StrategyName);
            outcome.UsedBases.ShouldBe([0, 1, 2]);
            outcome.WithIntervals.Inner.ShouldBeOfType<LibraryEnsemblePredictor>();
            outcome.WithIntervals.CalibrationCount.ShouldBeGreaterThan(0);

            var payload = AdaptedPredictorCodec.Encode(outcome.WithIntervals, sources, outcome.Report);
            var decoded = AdaptedPredictorCodec.Decode(payload, sources);
            decoded.Predictor.Description.ShouldBe(outcome.WithIntervals.Description);
            AssertSamePredictions(outcome.WithIntervals, decoded.Predictor);
            AdaptedPredictorCodec.Encode(decoded.Predictor, sources, decoded.Notes).ShouldBe(payload);
            AdaptedPredictorCodec.Encode(AdaptationRun.Run(sources, measured, "auto", shots, 3).WithIntervals, sources, outcome.Report)
                .ShouldBe(payload, "the same adaptation always encodes to the same bytes");
            Should.Throw<LatencyGate.Diagnostics.LatencyGateException>(() => AdaptedPredictorCodec.Decode(payload, sources[..2]))
                .Diagnostics[0].Code.ShouldBe(StoredAdaptationErrors.BaseMismatch);
        }
    }

    [Fact]
    public void A_library_ensemble_is_written_to_an_adapted_file_with_every_base_and_read_back_bit_exactly()
    {
        ILatencyPredictor[] bases = [LearnedTrunks.Hybrid, LearnedTrunks.RandomMlp()];
        var shots = LearnedTrunks.Target.Take(12).Select(m => new LatencyShot(m.Item1, m.Item2)).ToArray();
        var adapted = CrossConformal.Adapt((train, s) => LibraryEnsemble.Fit(new AdaProxyStrategy(), bases, train, s), 1, shots, 5);
        var path = Path.Combine(_dir.FullName, "library.safetensors");
        AdaptedPredictorFile.Save(path, adapted, bases, LibraryEnsemble.StrategyName, ["note"], new LatencyPredictorFile.Provenance("target", 64, null, new Dictionary<string, double>()));

        var loaded = PredictorLoader.Load(OfaSpace.W12, null, path);
        loaded.Description.ShouldBe(adapted.Description);
        AssertSamePredictions(adapted, loaded);
        var (metadata, _) = PredictorFile.Read(path);
        metadata.Extra["base_count"].ShouldBe("2");
        metadata.Extra["adaptation_strategy"].ShouldBe(LibraryEnsemble.StrategyName);
    }

    private static void AssertSamePredictions(ILatencyPredictor expected, ILatencyPredictor actual)
    {
        var a = new double[Probe.Length];
        var b = new double[Probe.Length];
        expected.Predict(Probe, a);
        actual.Predict(Probe, b);
        b.ShouldBe(a);
        foreach (var confidence in new[] { 0.5, 0.9, 0.95 })
        {
            var ea = new LatencyEstimate[Probe.Length];
            var eb = new LatencyEstimate[Probe.Length];
            expected.PredictWithInterval(Probe, confidence, ea);
            actual.PredictWithInterval(Probe, confidence, eb);
            eb.ShouldBe(ea);
        }
    }
}
