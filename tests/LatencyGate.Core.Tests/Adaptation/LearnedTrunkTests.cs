using LatencyGate.Adaptation;
using LatencyGate.Diagnostics;
using LatencyGate.Predictors;
using LatencyGate.Spaces;
using Shouldly;
using Xunit;

namespace LatencyGate.Tests.Adaptation;

/// <summary>The learned MLP predictors seen as a trunk plus an output layer, as the <c>head</c> strategy needs them.</summary>
public sealed class LearnedTrunkTests
{
    private static readonly Arch[] Probe = AdaptationTestData.RandomArchs(50, 91);

    public static TheoryData<string> Kinds() => ["mlp", "mlp-2-layers", "additive+mlp"];

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Output_layer_on_the_trunk_features_is_the_prediction(string kind)
    {
        var model = Model(kind);
        var h = model.HiddenSize;
        h.ShouldBe(model.Network!.Layers[^1].Inputs + (model.Kind == LatencyModelKind.AdditiveMlp ? 1 : 0));
        var batched = new double[Probe.Length * h];
        model.Hidden(Probe, batched);
        var predicted = new double[Probe.Length];
        model.Predict(Probe, predicted);
        for (var i = 0; i < Probe.Length; i++)
        {
            var single = new double[h];
            model.Hidden(Probe[i], single);
            single.ShouldBe(batched.AsSpan(i * h, h).ToArray(), "one arch or a batch: the same features");
            var y = model.OutputBias;
            for (var j = 0; j < h; j++)
            {
                y += model.OutputWeights[j] * single[j];
            }

            // float32 in the network, double here: equal to float precision.
            ((y * model.TargetScale) + model.TargetShift).ShouldBe(predicted[i], 1e-5 * Math.Abs(predicted[i]) + 1e-5);
        }
    }

    [Fact]
    public void A_model_without_a_hidden_layer_is_no_trunk_and_head_says_so()
    {
        var oneLayer = LearnedTrunks.RandomMlp(layers: 1);
        oneLayer.HiddenSize.ShouldBe(0);
        var head = new HeadStrategy();
        head.Supports(oneLayer).ShouldBeFalse();
        head.Supports(LearnedTrunks.RandomMlp()).ShouldBeTrue();
        var shots = LearnedTrunks.Target.Take(5).Select(t => new LatencyShot(t.Item1, t.Item2)).ToArray();
        Should.Throw<LatencyGateException>(() => head.Adapt(oneLayer, shots, 1)).Diagnostics.Single().Code.ShouldBe(AdaptationErrors.IncompatibleBase);
    }

    [Fact]
    public void Head_retrains_the_output_layer_of_a_fitted_hybrid_and_beats_the_unadapted_base()
    {
        var target = LearnedTrunks.Target;
        var shots = target.Take(60).Select(t => new LatencyShot(t.Item1, t.Item2)).ToArray();
        var test = target.Skip(200).ToArray();
        var adapted = new HeadStrategy().Adapt(LearnedTrunks.Hybrid, shots, 5).ShouldBeOfType<HeadAdaptedPredictor>();
        double Mae(ILatencyPredictor p) => p.PredictAll(test.Select(t => t.Item1).ToArray()).Select((v, i) => Math.Abs(v - test[i].Item2)).Average();
        Mae(adapted).ShouldBeLessThan(0.5 * Mae(LearnedTrunks.Hybrid));
        adapted.PredictAll(Probe).ShouldBe(Probe.Select(adapted.PredictOne).ToArray(), "batched and one-by-one prediction agree exactly");
    }

    [ReferenceDataFact]
    public void Head_works_on_the_seed_papers_Note10_checkpoint()
    {
        var note10 = LatencyPredictorFile.Load(ReferenceData.PathOf("ofanas-perfest", "checkpoints", "checkpoint_note10_ofa.pt"), OfaSpace.W10);
        note10.HiddenSize.ShouldBe(400);
        var (archs, _, rtx, _) = AdaptationTestData.PaperPaired();
        var shots = AdaptationTestData.Shots(archs, rtx, Enumerable.Range(0, 50).Select(i => i * 140));
        var adapted = new HeadStrategy().Adapt(note10, shots, 1);
        var test = Enumerable.Range(archs.Length - 1500, 1500).ToArray();
        var mae = AdaptationTestData.Mae(adapted, archs, rtx, test);
        mae.ShouldBeLessThan(1.2);
        mae.ShouldBeLessThan(0.2 * AdaptationTestData.Mae(note10, archs, rtx, test));
    }

    private static LearnedLatencyPredictor Model(string kind) => kind switch
    {
        "mlp" => LearnedTrunks.RandomMlp(),
        "mlp-2-layers" => LearnedTrunks.RandomMlp(layers: 2),
        _ => LearnedTrunks.Hybrid,
    };
}
