using LatencyGate.Adaptation;
using LatencyGate.Learning;
using LatencyGate.Predictors;
using LatencyGate.Randomness;
using LatencyGate.Spaces;
using LatencyGate.Tests.Adaptation;
using LatencyGate.Torch;
using Shouldly;
using Xunit;

namespace LatencyGate.Tests.Learning;

/// <summary>
/// One suite for every training engine (subclassed per engine below): what an engine trains is
/// written in the one predictor format, read back, and predicts the same (within 1e-5) whichever
/// engine evaluates it; training and fine-tuning improve on their starting point; the default model
/// reaches the accuracy docs/learning.md states on the seed paper's RTX 2080 Ti data (small scale).
/// Small models and step budgets: each test takes seconds.
/// </summary>
public abstract class TrainingEngineContract
{
    private static readonly int[] Resolutions = [160, 192, 224];

    internal abstract ITrainingEngine Engine { get; }

    /// <summary>Every engine that reads files here: the managed one and libtorch.</summary>
    internal static ITrainingEngine[] Readers => [ManagedTrainingEngine.Instance, TorchFixture.Engine()];

    [Theory]
    [InlineData("mlp")]
    [InlineData("additive+mlp")]
    public void Fitted_file_is_read_by_both_engines_alike(string kind)
    {
        var (archs, ms) = Synthetic(300, 5);
        LatencyModelKinds.TryParse(kind, out var k).ShouldBeTrue();
        var settings = LatencyFitSettings.Default(3) with { Kind = k, Hidden = [32, 32], Engine = Engine };
        settings = settings with { Training = settings.Training with { Epochs = k == LatencyModelKind.Mlp ? 60 : 15 } };
        var result = LatencyModelFitter.Fit(archs, ms, settings, OfaSpace.W12, "synthetic");

        // Training helped: validation MAE well under that of predicting the mean (the one-hot MLP learns slower on 255 rows).
        var mean = ms.Average();
        var constantMae = ms.Average(v => Math.Abs(v - mean));
        result.Validation!.MaeMs.ShouldBeLessThan((k == LatencyModelKind.Mlp ? 0.8 : 0.5) * constantMae);

        var loaded = RoundTrip(result.Predictor);
        AllReadersAgree(loaded, archs[..100]);
    }

    [Fact]
    public void Head_adapted_file_is_read_by_both_engines_alike_and_solves_the_same_problem()
    {
        var (basePredictor, target) = BaseAndTarget();
        // 10 shots: fewer than the trunk's features, and some hidden units silent on every shot (no curvature).
        var shots = target[..10];
        var adapted = new HeadStrategy(Engine).Adapt(basePredictor, shots, 1);
        var reference = new HeadStrategy().Adapt(basePredictor, shots, 1);
        var check = target[30..130].Select(s => s.Arch).ToArray();

        // Same objective, same λ choice: the same predictor up to the solver's tolerance.
        var a = adapted.PredictAll(check);
        var b = reference.PredictAll(check);
        for (var i = 0; i < a.Length; i++)
        {
            a[i].ShouldBe(b[i], 1e-4 * Math.Max(1, Math.Abs(b[i])));
        }

        var loaded = RoundTripAdapted(adapted, basePredictor, "head");
        AllReadersAgree(loaded, check);
    }

    [Fact]
    public void Full_fine_tuned_file_is_read_by_both_engines_alike_and_beats_its_base()
    {
        var (basePredictor, target) = BaseAndTarget();
        var shots = target[..20];
        var adapted = new FullStrategy(new FineTuneBudget(Steps: 20), Engine).Adapt(basePredictor, shots, 1);
        var held = target[20..].ToArray();
        var archs = held.Select(s => s.Arch).ToArray();
        var measured = held.Select(s => s.LatencyMs).ToArray();
        var tunedMae = LatencyMetrics.Compute(adapted.PredictAll(archs), measured).MaeMs;
        var baseMae = LatencyMetrics.Compute(basePredictor.PredictAll(archs), measured).MaeMs;
        tunedMae.ShouldBeLessThan(baseMae);

        var loaded = RoundTripAdapted(adapted, basePredictor, "full");
        AllReadersAgree(loaded, archs[..100]);
    }

    /// <summary>
    /// The default model (additive+mlp), its hidden layers narrowed to 64 and 15 epochs, trained on
    /// the seed paper's first 1,500 RTX 2080 Ti rows, tested on its test rows (8,501–10,000): docs/learning.md
    /// states "under 0.6 ms" for both engines at this scale (both 0.522 ms; 0.29 ms at full scale).
    /// </summary>
    [ReferenceDataFact]
    public void Default_model_reaches_the_documented_accuracy_on_rtx_2080_ti()
    {
        var (archs, _, rtx, _) = AdaptationTestData.PaperPaired();
        var settings = LatencyFitSettings.Default(1) with { Hidden = [64, 64], Engine = Engine };
        settings = settings with { Training = settings.Training with { Epochs = 15 } };
        var fit = LatencyModelFitter.Fit(archs[..1500], rtx[..1500], settings, OfaSpace.W10, "rtx");
        var test = archs[8500..];
        var mae = LatencyMetrics.Compute(fit.Predictor.PredictAll(test), rtx[8500..]).MaeMs;
        mae.ShouldBeLessThan(0.6);
    }

    internal static (Arch[] Archs, double[] Ms) Synthetic(int count, ulong seed)
    {
        var rng = new SeededRandom(seed);
        var archs = AdaptationTestData.RandomArchs(count, seed)
            .Select((a, i) => Arch.Create(a.KernelSizes.ToArray().Select(v => (int)v).ToArray(), a.ExpandRatios.ToArray().Select(v => (int)v).ToArray(), a.Depths.ToArray().Select(v => (int)v).ToArray(), Resolutions[i % 3]))
            .ToArray();
        var ms = archs.Select(a => Latency(a, 1.0) * Math.Exp(0.02 * rng.NextGaussian())).ToArray();
        return (archs, ms);
    }

    /// <summary>A LUT-like device: per active block a cost from kernel, expand and slot, scaled by pixels, plus a fixed part.</summary>
    private static double Latency(Arch arch, double kernelSevenFactor)
    {
        var pixels = arch.Resolution * arch.Resolution / (224.0 * 224.0);
        var sum = 1.5;
        for (var slot = 0; slot < Arch.SlotCount; slot++)
        {
            if (arch.IsActive(slot))
            {
                var k = arch.KernelSizes[slot];
                sum += pixels * (0.05 + (0.01 * k * (k == 7 ? kernelSevenFactor : 1)) + (0.02 * arch.ExpandRatios[slot])) * (1 + (slot / 4 * 0.1));
            }
        }

        return sum;
    }

    private (LearnedLatencyPredictor Base, LatencyShot[] Target) BaseAndTarget()
    {
        var (archs, ms) = Synthetic(300, 11);
        var settings = LatencyFitSettings.Default(3) with { Hidden = [32, 32] };
        settings = settings with { Training = settings.Training with { Epochs = 15 } };
        var fitted = RoundTrip(LatencyModelFitter.Fit(archs, ms, settings, OfaSpace.W12, "source").Predictor);
        var rng = new SeededRandom(12);
        var target = Synthetic(400, 13).Archs.Select(a => new LatencyShot(a, ((0.6 * Latency(a, 1.8)) + 0.4) * Math.Exp(0.02 * rng.NextGaussian()))).ToArray();
        return (fitted, target);
    }

    private static LearnedLatencyPredictor RoundTrip(LearnedLatencyPredictor predictor)
    {
        var dir = Directory.CreateTempSubdirectory("lg-engine-");
        try
        {
            var path = Path.Combine(dir.FullName, "p.safetensors");
            LatencyPredictorFile.Save(path, predictor, new LatencyPredictorFile.Provenance("synthetic", null, null, new Dictionary<string, double>()));
            return LatencyPredictorFile.Load(path, OfaSpace.W12);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    private static ILatencyPredictor RoundTripAdapted(ILatencyPredictor adapted, LearnedLatencyPredictor basePredictor, string strategy)
    {
        var dir = Directory.CreateTempSubdirectory("lg-engine-");
        try
        {
            var path = Path.Combine(dir.FullName, "a.safetensors");
            AdaptedPredictorFile.Save(path, adapted, [basePredictor], strategy, [], new LatencyPredictorFile.Provenance("target", null, null, new Dictionary<string, double>()));
            return LatencyPredictorFile.LoadAny(path, OfaSpace.W12);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    private static void AllReadersAgree(ILatencyPredictor predictor, Arch[] archs)
    {
        var readers = Readers;
        var first = new double[archs.Length];
        readers[0].Predict(predictor, archs, first);
        foreach (var reader in readers.Skip(1))
        {
            var other = new double[archs.Length];
            reader.Predict(predictor, archs, other);
            for (var i = 0; i < archs.Length; i++)
            {
                other[i].ShouldBe(first[i], 1e-5 * Math.Max(1, Math.Abs(first[i])), $"{reader.Name} vs {readers[0].Name} on arch {i}");
            }
        }
    }
}

/// <summary>The suite on our own engine.</summary>
public sealed class ManagedEngineTests : TrainingEngineContract
{
    internal override ITrainingEngine Engine => ManagedTrainingEngine.Instance;
}

/// <summary>The suite on libtorch.</summary>
public sealed class TorchEngineTests : TrainingEngineContract
{
    internal override ITrainingEngine Engine => TorchFixture.Engine();
}
