using LatencyGate.Diagnostics;
using LatencyGate.Learning.WeightFiles;

namespace LatencyGate.Predictors;

/// <summary>Loads OFA's accuracy predictor from acc_predictor.pth (legacy PyTorch), a zip checkpoint or safetensors.</summary>
internal static class AccuracyPredictorFile
{
    /// <summary>
    /// A weights file, or a built-in profile (<c>builtin:ofa-w1.2</c>); with <paramref name="space"/>, a
    /// built-in predictor of another space is an error at <paramref name="location"/>.
    /// </summary>
    public static OfaAccuracyPredictor Load(string path, Spaces.OfaSpace? space = null, SourceLocation? location = null)
    {
        if (Profiles.BuiltinProfiles.IsReference(path))
        {
            return Profiles.BuiltinProfiles.LoadAccuracyPredictor(path, space, location);
        }

        var file = WeightFileReader.Read(path);
        OfaAccuracyPredictor predictor;
        try
        {
            predictor = OfaAccuracyPredictor.FromStateDict(file.Tensors, Path.GetFileName(path));
        }
        catch (ArgumentException ex)
        {
            throw new LatencyGateException(LearningErrors.PredictorUnreadable, $"not OFA's MobileNetV3 accuracy predictor (128-400-400-400-1 over the tutorial encoding): {ex.Message}", new SourceLocation(path));
        }

        RequireFractions(predictor, path);
        return predictor;
    }

    /// <summary>
    /// A latency MLP over the same encoding (the seed paper's checkpoints) has the same shape as OFA's
    /// accuracy predictor, and would "score" archs in milliseconds: a predictor whose scores of a few
    /// fixed archs are not top-1 fractions in [0, 1] is refused (LG0153) rather than searched with.
    /// </summary>
    private static void RequireFractions(OfaAccuracyPredictor predictor, string path)
    {
        var archs = new Spaces.ArchSampler(Spaces.OfaSpace.W12.Resolutions).SampleDistinct(ProbeArchs, new Randomness.SeededRandom(ProbeSeed)).ToArray();
        var scores = new double[archs.Length];
        predictor.Score(archs, scores);
        var bad = Array.FindIndex(scores, v => !(v >= 0 && v <= 1));
        if (bad >= 0)
        {
            throw new LatencyGateException(
                LearningErrors.PredictorUnreadable,
                string.Create(System.Globalization.CultureInfo.InvariantCulture, $"not an accuracy predictor: it scores the arch {archs[bad].CanonicalKey} at {scores[bad]:G6}, and a top-1 accuracy is a fraction in [0, 1] (a latency predictor given as the accuracy predictor?)"),
                new SourceLocation(path));
        }
    }

    private const int ProbeArchs = 16;

    private const ulong ProbeSeed = 18;
}
