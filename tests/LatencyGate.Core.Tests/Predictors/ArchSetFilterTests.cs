using LatencyGate.Predictors;
using LatencyGate.Spaces;
using LatencyGate.Tests.Adaptation;
using Shouldly;
using Xunit;

namespace LatencyGate.Tests.Predictors;

public sealed class ArchSetFilterTests
{
    [Fact]
    public void Never_misses_a_member_rarely_claims_a_stranger_and_survives_its_text_form()
    {
        var members = AdaptationTestData.RandomArchs(2000, 1);
        var strangers = AdaptationTestData.RandomArchs(4000, 2).Where(a => !members.Any(m => m.CanonicalKey == a.CanonicalKey)).ToArray();
        var filter = ArchSetFilter.Of(members);
        members.ShouldAllBe(a => filter.MayContain(a));
        var falsePositives = strangers.Count(filter.MayContain) / (double)strangers.Length;
        falsePositives.ShouldBeLessThan(0.02);

        var text = filter.Encode();
        text.Length.ShouldBeLessThan(2000 * 2); // about 1.6 characters per arch
        var decoded = ArchSetFilter.Decode(text)!;
        decoded.Count.ShouldBe(filter.Count);
        strangers.Select(decoded.MayContain).ShouldBe(strangers.Select(filter.MayContain));
        ArchSetFilter.Decode("bloom-fnv1a64-v1;3;0;AA==").ShouldBeNull();
        ArchSetFilter.Decode("garbage").ShouldBeNull();
        ArchSetFilter.Decode(null).ShouldBeNull();
    }

    [Fact]
    public void A_fitted_predictor_file_carries_its_training_archs()
    {
        var archs = AdaptationTestData.RandomArchs(60, 3);
        var fit = LatencyModelFitter.Fit(archs, archs.Select(a => 1 + (a.Resolution / 50.0)).ToArray(), LatencyFitSettings.ForModel(LatencyFitSettings.DefaultModel, 1), OfaSpace.W12);
        var path = Path.Combine(Path.GetTempPath(), $"lg-filter-{Guid.NewGuid():N}.safetensors");
        try
        {
            LatencyPredictorFile.Save(path, fit.Predictor, new LatencyPredictorFile.Provenance(null, null, null, new Dictionary<string, double>()));
            var loaded = LatencyPredictorFile.Load(path, OfaSpace.W12);
            archs.ShouldAllBe(a => loaded.TrainingArchs!.MayContain(a));
            loaded.TrainingArchs!.Encode().ShouldBe(fit.Predictor.TrainingArchs!.Encode());
        }
        finally
        {
            File.Delete(path);
        }
    }
}
