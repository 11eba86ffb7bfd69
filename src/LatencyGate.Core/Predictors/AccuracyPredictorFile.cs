using LatencyGate.Diagnostics;
using LatencyGate.Learning;
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
        try
        {
            return OfaAccuracyPredictor.FromStateDict(file.Tensors, Path.GetFileName(path));
        }
        catch (ArgumentException ex)
        {
            throw new LatencyGateException(LearningErrors.PredictorUnreadable, $"not OFA's MobileNetV3 accuracy predictor (128-400-400-400-1 over the tutorial encoding): {ex.Message}", new SourceLocation(path));
        }
    }
}
