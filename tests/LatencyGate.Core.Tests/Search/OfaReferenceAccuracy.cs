using System.Text.Json;
using LatencyGate.Predictors;

namespace LatencyGate.Tests.Search;

/// <summary>OFA's published MobileNetV3 w1.2 accuracy predictor, through the product's class, from the raw float32 dump.</summary>
internal static class OfaReferenceAccuracy
{
    public static OfaAccuracyPredictor Load()
    {
        using var manifest = JsonDocument.Parse(File.ReadAllText(ReferenceData.PathOf("ofa-acc-predictor", "mbv3_w1.2_acc_predictor.json")));
        var layout = manifest.RootElement.GetProperty("tensors").EnumerateArray()
            .Select(t => (t.GetProperty("name").GetString()!, t.GetProperty("shape").EnumerateArray().Select(v => v.GetInt32()).ToArray())).ToArray();
        var tensors = RawWeightFile.Read(ReferenceData.PathOf("ofa-acc-predictor", "mbv3_w1.2_acc_predictor.f32.bin"), layout);
        return OfaAccuracyPredictor.FromStateDict(tensors, "mbv3_w1.2_acc_predictor.f32.bin");
    }
}
