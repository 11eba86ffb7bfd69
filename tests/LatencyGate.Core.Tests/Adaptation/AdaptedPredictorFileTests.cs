using LatencyGate.Adaptation;
using LatencyGate.Diagnostics;
using LatencyGate.Learning;
using LatencyGate.Learning.WeightFiles;
using LatencyGate.Predictors;
using LatencyGate.Predictors.Intervals;
using LatencyGate.Spaces;
using Shouldly;
using Xunit;

namespace LatencyGate.Tests.Adaptation;

/// <summary>The <c>adapted</c> predictor file: whatever strategy won is written, and read back predicting exactly the same.</summary>
public sealed class AdaptedPredictorFileTests : IDisposable
{
    private static readonly Arch[] Probe = AdaptationTestData.RandomArchs(80, 93);
    private static readonly LatencyPredictorFile.Provenance Target = new("target", 64, new string('b', 64), new Dictionary<string, double> { ["shots"] = 30 });
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("lg-adapted-file-");

    public static TheoryData<string, int?> Runs() => new()
    {
        { "affine", 30 },
        { "adaproxy", 30 },
        { "head", 30 },
        { "auto", 30 },
        { "head", null },
        { "auto", 2 },
    };

    public void Dispose() => _dir.Delete(recursive: true);

    [Theory]
    [MemberData(nameof(Runs))]
    public void The_chosen_adaptation_is_written_and_read_back_bit_exactly(string strategy, int? shots)
    {
        var bases = new ILatencyPredictor[] { LearnedTrunks.Hybrid };
        var outcome = AdaptationRun.Run(bases, LearnedTrunks.Target, strategy, shots, 3);
        var path = Path.Combine(_dir.FullName, "adapted.safetensors");
        AdaptedPredictorFile.Save(path, outcome.WithIntervals, bases, outcome.Strategy, outcome.Report, Target);

        var loaded = PredictorLoader.Load(OfaSpace.W12, null, path);
        loaded.ShouldBeOfType<ConformalPredictor>();
        loaded.Description.ShouldBe(outcome.WithIntervals.Description);
        AssertSamePredictions(outcome.WithIntervals, loaded);

        var (metadata, _) = PredictorFile.Read(path);
        metadata.ModelKind.ShouldBe(AdaptedPredictorFile.ModelKind);
        metadata.DeviceName.ShouldBe("target");
        metadata.BatchSize.ShouldBe(64);
        metadata.Extra["adaptation_strategy"].ShouldBe(outcome.Strategy);
        metadata.Extra["base0.model_kind"].ShouldBe("additive+mlp");
        metadata.Extra["base0.device"].ShouldBe("source");

        var again = Path.Combine(_dir.FullName, "again.safetensors");
        AdaptedPredictorFile.Save(again, AdaptationRun.Run(bases, LearnedTrunks.Target, strategy, shots, 3).WithIntervals, bases, outcome.Strategy, outcome.Report, Target);
        File.ReadAllBytes(again).ShouldBe(File.ReadAllBytes(path), "the same adaptation always writes the same bytes");
    }

    [Fact]
    public void Head_on_a_real_mlp_trunk_is_stored_as_head_not_as_an_affine_fallback()
    {
        var bases = new ILatencyPredictor[] { LearnedTrunks.Hybrid };
        var outcome = AdaptationRun.Run(bases, LearnedTrunks.Target, "head", 40, 4);
        var path = Path.Combine(_dir.FullName, "head.safetensors");
        AdaptedPredictorFile.Save(path, outcome.WithIntervals, bases, outcome.Strategy, outcome.Report, Target);
        var loaded = PredictorLoader.LoadAny(path, OfaSpace.W12).ShouldBeOfType<ConformalPredictor>();
        var head = loaded.Inner.ShouldBeOfType<HeadAdaptedPredictor>();
        head.Trunk.ShouldBeOfType<LearnedLatencyPredictor>().Kind.ShouldBe(LatencyModelKind.AdditiveMlp);
        head.Weights.ShouldBe(((HeadAdaptedPredictor)outcome.WithIntervals.Inner).Weights);

        // The learned-only loader says what the file is rather than misreading it.
        Should.Throw<LatencyGateException>(() => LatencyPredictorFile.Load(path, OfaSpace.W12)).Diagnostics.Single().Message.ShouldContain("adapted predictor file");
        Should.Throw<LatencyGateException>(() => PredictorLoader.LoadAny(path, OfaSpace.W10)).Diagnostics.Single().Code.ShouldBe(LearningErrors.SpaceMismatch);
    }

    [Fact]
    public void A_damaged_adapted_file_is_an_LG_error_naming_the_file()
    {
        var bases = new ILatencyPredictor[] { LearnedTrunks.Hybrid };
        var outcome = AdaptationRun.Run(bases, LearnedTrunks.Target, "adaproxy", 30, 3);
        var path = Path.Combine(_dir.FullName, "ok.safetensors");
        AdaptedPredictorFile.Save(path, outcome.WithIntervals, bases, outcome.Strategy, outcome.Report, Target);
        var file = WeightFileReader.Read(path);

        string Rewrite(string name, Func<Dictionary<string, string>, Dictionary<string, string>> edit, Func<IReadOnlyList<NamedTensor>, IReadOnlyList<NamedTensor>>? tensors = null)
        {
            var bad = Path.Combine(_dir.FullName, name);
            SafetensorsFile.Write(bad, (tensors ?? (t => t))(file.Tensors), edit(new Dictionary<string, string>(file.Metadata, StringComparer.Ordinal)));
            return bad;
        }

        Diagnostic Fail(string bad) => Should.Throw<LatencyGateException>(() => PredictorLoader.LoadAny(bad, OfaSpace.W12)).Diagnostics.Single();

        var payload = Convert.FromBase64String(file.Metadata["adaptation"]);
        var truncated = Fail(Rewrite("truncated.safetensors", m => { m["adaptation"] = Convert.ToBase64String(payload[..(payload.Length / 2)]); return m; }));
        truncated.Code.ShouldBe(StoredAdaptationErrors.Malformed);
        truncated.Location!.File.ShouldEndWith("truncated.safetensors");
        Fail(Rewrite("notbase64.safetensors", m => { m["adaptation"] = "%%%"; return m; })).Code.ShouldBe(LearningErrors.PredictorUnreadable);
        Fail(Rewrite("nocount.safetensors", m => { m.Remove("base_count"); return m; })).Code.ShouldBe(LearningErrors.PredictorUnreadable);
        Fail(Rewrite("twobases.safetensors", m => { m["base_count"] = "2"; return m; })).Code.ShouldBe(LearningErrors.PredictorUnreadable);
        Fail(Rewrite("notensor.safetensors", m => m, t => t.Where(x => x.Name != "base0.target_scaler").ToArray())).Code.ShouldBe(LearningErrors.PredictorUnreadable);
    }

    [ReferenceDataFact]
    public void Head_on_the_seed_papers_checkpoint_round_trips_through_the_file_bit_exactly()
    {
        var checkpoint = LatencyPredictorFile.Load(ReferenceData.PathOf("ofanas-perfest", "checkpoints", "checkpoint_note10_ofa.pt"), OfaSpace.W10);
        var (archs, _, rtx, _) = AdaptationTestData.PaperPaired();
        var measured = Enumerable.Range(0, 7000).Select(i => (archs[i], rtx[i])).ToArray();
        var outcome = AdaptationRun.Run([checkpoint], measured, "head", 20, 1);
        var path = Path.Combine(_dir.FullName, "rtx-head.safetensors");
        AdaptedPredictorFile.Save(path, outcome.WithIntervals, [checkpoint], outcome.Strategy, outcome.Report, Target);
        var loaded = PredictorLoader.Load(OfaSpace.W10, null, path);
        var test = archs[^1500..];
        var expected = outcome.WithIntervals.PredictAll(test);
        loaded.PredictAll(test).ShouldBe(expected);
        expected.Select((p, i) => Math.Abs(p - rtx[archs.Length - 1500 + i])).Average().ShouldBeLessThan(1.3);
    }

    private static void AssertSamePredictions(ILatencyPredictor expected, ILatencyPredictor actual)
    {
        actual.PredictAll(Probe).ShouldBe(expected.PredictAll(Probe));
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
