using LatencyGate.Adaptation;
using LatencyGate.Adaptation.Features;
using LatencyGate.Learning;
using LatencyGate.Predictors;
using LatencyGate.Randomness;
using LatencyGate.Spaces;
using LatencyGate.Spaces.Encodings;

namespace LatencyGate.Tests.Adaptation;

/// <summary>
/// Real learned predictors for the trunk and file tests: a small additive+mlp fitted on a synthetic
/// source device and read back from its predictor file (as <c>fit --base</c> gets it), and the
/// synthetic target device's measurements.
/// </summary>
internal static class LearnedTrunks
{
    private static readonly Lazy<(LearnedLatencyPredictor Base, (Arch, double)[] Target)> Fitted = new(() => Fit(LatencyModelKind.AdditiveMlp));
    private static readonly Lazy<(LearnedLatencyPredictor Base, (Arch, double)[] Target)> FittedMlp = new(() => Fit(LatencyModelKind.Mlp));

    public static LearnedLatencyPredictor Hybrid => Fitted.Value.Base;

    /// <summary>A plain one-hot MLP (the seed paper's kind) fitted on the same source device.</summary>
    public static LearnedLatencyPredictor FittedOneHotMlp => FittedMlp.Value.Base;

    /// <summary>The target device: 0.6 × the source, kernel-7 operators dearer, 3 % noise.</summary>
    public static (Arch, double)[] Target => Fitted.Value.Target;

    /// <summary>A one-hot MLP with random weights and a target scaler: the seed paper's kind, without training.</summary>
    public static LearnedLatencyPredictor RandomMlp(int layers = 3)
    {
        var sizes = new List<int> { TutorialOneHotEncoding.Size };
        sizes.AddRange(Enumerable.Repeat(24, layers - 1));
        sizes.Add(1);
        return new LearnedLatencyPredictor(OfaSpace.W12, LatencyModelKind.Mlp, Mlp.Create(sizes, Activation.Relu, new SeededRandom(17)), new TargetScaler(20, 4), null, null, "random");
    }

    private static (LearnedLatencyPredictor, (Arch, double)[]) Fit(LatencyModelKind kind)
    {
        // Three resolutions keep the additive model's knots (hence its ridge solve) small: a fit of seconds.
        int[] resolutions = [160, 192, 224];
        var archs = AdaptationTestData.RandomArchs(400, 71)
            .Select((a, i) => Arch.Create(a.KernelSizes.ToArray().Select(v => (int)v).ToArray(), a.ExpandRatios.ToArray().Select(v => (int)v).ToArray(), a.Depths.ToArray().Select(v => (int)v).ToArray(), resolutions[i % 3]))
            .ToArray();
        var features = new StructuredFeatures(OfaSpace.W12);
        var rng = new SeededRandom(8);
        var w = Enumerable.Range(0, StructuredFeatures.Count).Select(_ => 0.2 + rng.NextDouble()).ToArray();
        var source = new LinearLatencyModel(features, OfaSpace.W12, w, 2.0, "synthetic source");
        var sourceMs = archs.Select(a => source.PredictOne(a) * Math.Exp(0.02 * rng.NextGaussian())).ToArray();
        var settings = LatencyFitSettings.Default(3) with { Kind = kind, Hidden = [32, 32] };
        settings = settings with { Training = settings.Training with { Epochs = kind == LatencyModelKind.Mlp ? 60 : 20 } };
        var fitted = LatencyModelFitter.Fit(archs, sourceMs, settings, OfaSpace.W12, "source").Predictor;

        // Through a file, as the CLI loads a base: parameters are then float32 exactly.
        var dir = Directory.CreateTempSubdirectory("lg-trunk-");
        var path = Path.Combine(dir.FullName, "source.safetensors");
        try
        {
            LatencyPredictorFile.Save(path, fitted, new LatencyPredictorFile.Provenance("source", null, null, new Dictionary<string, double>()));
            var loaded = LatencyPredictorFile.Load(path, OfaSpace.W12);
            var target = archs.Select(a =>
            {
                var f = new double[StructuredFeatures.Count];
                features.Compute(a, f);
                var extra = Enumerable.Range(0, OfaBlockShapes.BlockGroupCount).Sum(g => (g % 9) / 3 == 2 ? 0.5 * f[g] : 0);
                return (a, ((0.6 * source.PredictOne(a)) + extra + 0.5) * Math.Exp(0.03 * rng.NextGaussian()));
            }).ToArray();
            return (loaded, target);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }
}
