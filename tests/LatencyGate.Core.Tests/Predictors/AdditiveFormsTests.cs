using LatencyGate.Learning;
using LatencyGate.Numerics;
using LatencyGate.Predictors;
using LatencyGate.Randomness;
using LatencyGate.Spaces;
using LatencyGate.Spaces.Encodings;
using LatencyGate.Tests.Adaptation;
using Shouldly;
using Xunit;

namespace LatencyGate.Tests.Predictors;

public sealed class AdditiveFormsTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    public void Stored_form_predicts_exactly_what_the_fitted_design_predicts_at_every_resolution(int formIndex)
    {
        var form = (AdditiveForm)formIndex;
        // Knots at a few resolutions only: the others are between or beyond them.
        var train = AdaptationTestData.RandomArchs(300, 5).Where(a => a.Resolution is 160 or 192 or 208).ToArray();
        var rng = new SeededRandom(6);
        var y = train.Select(_ => 5 + rng.NextDouble()).ToArray();
        var knots = new[] { 160f, 192f, 208f };
        var (w, b) = SparseRidge.Fit(AdditiveForms.Design(form, knots, train), y, 0.1);
        var model = AdditiveForms.ToModel(form, knots, w, b, 0.1);
        var probes = AdaptationTestData.RandomArchs(60, 7).Where(a => form == AdditiveForm.PixelLinear || knots.Contains(a.Resolution)).ToArray();
        probes.Length.ShouldBeGreaterThan(5);
        var design = AdditiveForms.Design(form, knots, probes);
        for (var i = 0; i < probes.Length; i++)
        {
            // The stored weights are float32, as in a predictor file.
            model.Predict(probes[i]).ShouldBe(design.Dot(i, w) + b, 1e-4);
        }
    }

    [Fact]
    public void Selection_keeps_the_one_hot_ridge_where_latency_does_not_depend_on_pixels_and_takes_pixel_linear_where_it_does()
    {
        var archs = AdaptationTestData.RandomArchs(600, 11);
        var rng = new SeededRandom(12);
        double Launch(Arch a) => Enumerable.Range(0, Arch.SlotCount).Where(a.IsActive).Sum(s => 0.1 + (0.01 * a.KernelSizes[s]));
        double Compute(Arch a) => a.Resolution * a.Resolution / 5000.0 * Enumerable.Range(0, Arch.SlotCount).Where(a.IsActive).Sum(s => a.KernelSizes[s] * a.ExpandRatios[s] / 20.0);
        var hostBound = archs.Select(a => Launch(a) * Math.Exp(0.05 * rng.NextGaussian())).ToArray();
        var computeBound = archs.Select(a => Compute(a) * Math.Exp(0.01 * rng.NextGaussian())).ToArray();

        var host = AdditiveModelSelection.Fit(archs, hostBound, 1);
        host.Chosen.Form.ShouldBe(AdditiveForm.OneHot);
        var compute = AdditiveModelSelection.Fit(archs, computeBound, 1);
        compute.Chosen.Form.ShouldBe(AdditiveForm.PixelLinear);
        compute.Chosen.CrossValidated.MapePct.ShouldBeLessThan(host.Candidates.Where(c => c.Form == AdditiveForm.OneHot).Min(c => c.CrossValidated.MapePct));

        // 600 rows at 25 resolutions cannot determine 181 costs per resolution: that form is not even tried.
        host.Candidates.ShouldNotContain(c => c.Form == AdditiveForm.PerResolution);
        host.Folds.ShouldBe(AdditiveModelSelection.FoldCount);
    }

    [Fact]
    public void Default_fit_is_deterministic_and_cross_validates_without_a_split()
    {
        var archs = AdaptationTestData.RandomArchs(120, 21);
        var ms = archs.Select(a => 2 + (a.Resolution / 100.0)).ToArray();
        var settings = LatencyFitSettings.ForModel(LatencyFitSettings.DefaultModel, 4);
        var first = LatencyModelFitter.Fit(archs, ms, settings, OfaSpace.W12);
        var second = LatencyModelFitter.Fit(archs.Reverse().ToArray(), ms.Reverse().ToArray(), settings, OfaSpace.W12);
        first.Predictor.Kind.ShouldBe(LatencyModelKind.Additive);
        first.CrossValidated.ShouldBeTrue();
        first.TrainCount.ShouldBe(120);
        first.ValidationCount.ShouldBe(0);
        first.Predictor.Additive!.Weights.ShouldBe(LatencyModelFitter.Fit(archs, ms, settings, OfaSpace.W12).Predictor.Additive!.Weights);
        // Row order changes the folds, not the set of archs the file lists.
        second.Predictor.TrainingArchs!.Encode().ShouldBe(first.Predictor.TrainingArchs!.Encode());
        Should.Throw<ArgumentException>(() => LatencyFitSettings.ForModel("auto", 1));
    }

    [ReferenceDataFact]
    public void Default_fit_on_a_help_gpu_is_no_worse_than_ridge_on_the_one_hot_encoding()
    {
        // A small version of the cli-fit benchmark: Titan RTX batch 64, 1,000 training archs, 1,000 test archs.
        var (archs, columns) = HardwareGeneralizedTests.LoadHelp(2000);
        var y = columns["lat_ms_titan_rtx_64"];
        var fit = LatencyModelFitter.Fit(archs[..1000], y[..1000], LatencyFitSettings.ForModel(LatencyFitSettings.DefaultModel, 1), OfaSpace.W12);
        var ours = LatencyMetrics.Compute(archs[1000..].Select(fit.Predictor.Predict).ToArray(), y[1000..]);
        var ridge = AdditiveModelSelection.Fit(archs[..1000], y[..1000], 1, [AdditiveForm.OneHot]).Model;
        var baseline = LatencyMetrics.Compute(archs[1000..].Select(ridge.Predict).ToArray(), y[1000..]);
        ours.MapePct.ShouldBeLessThan(baseline.MapePct);
        ours.Spearman.ShouldBeGreaterThan(baseline.Spearman);
        ours.MapePct.ShouldBeLessThan(2.0);
    }
}
