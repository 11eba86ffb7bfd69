using LatencyGate.Diagnostics;
using LatencyGate.Learning.WeightFiles;

namespace LatencyGate.Predictors;

/// <summary>Loads OFA's accuracy predictor from acc_predictor.pth (legacy PyTorch), a zip checkpoint or safetensors.</summary>
internal static class AccuracyPredictorFile
{
    public static OfaAccuracyPredictor Load(string path)
    {
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
