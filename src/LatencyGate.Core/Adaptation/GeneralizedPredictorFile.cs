using System.Globalization;
using LatencyGate.Diagnostics;
using LatencyGate.Learning;
using LatencyGate.Learning.WeightFiles;
using LatencyGate.Spaces;

namespace LatencyGate.Adaptation;

/// <summary>
/// A hardware-generalized predictor as a LatencyGate predictor file (model kind
/// <c>hardware-generalized</c>): the physical stage's weights and the residual stage's weights as
/// float32 tensors, the devices it was trained on in the metadata. A device's predictor is made
/// from it plus that device's spec sheet.
/// </summary>
internal static class GeneralizedPredictorFile
{
    public const string ModelKind = "hardware-generalized";
    private const string PhysicalTensor = "physical";
    private const string ResidualTensor = "residual";

    public static void Save(string path, HardwareGeneralizedPredictor model, OfaSpace space, IReadOnlyDictionary<string, double> metrics)
    {
        var metadata = new PredictorFileMetadata(
            space.Name,
            "structured-shares x log-batch",
            ModelKind,
            "analytical roofline terms from the spec sheet (cores, bandwidth, peak FP32, batch)",
            "log latency: within-device shape over a non-negative roofline, plus a per-batch level curve",
            "ms",
            null,
            null,
            null,
            metrics,
            new Dictionary<string, string>(StringComparer.Ordinal) { ["trained_on"] = string.Join(";", model.TrainedOn) });
        PredictorFile.Write(path, metadata, [
            new NamedTensor(PhysicalTensor, [model.PhysicalWeights.Count], model.PhysicalWeights.Select(v => (float)v).ToArray()),
            new NamedTensor(ResidualTensor, [model.ResidualWeights.Count], model.ResidualWeights.Select(v => (float)v).ToArray()),
        ]);
    }

    /// <summary>Loads a generalized predictor made for <paramref name="space"/>; a file of another kind or space is LG0230.</summary>
    public static HardwareGeneralizedPredictor Load(string path, OfaSpace space)
    {
        var (metadata, file) = PredictorFile.Read(path);
        var location = new SourceLocation(path);
        if (metadata.ModelKind != ModelKind)
        {
            throw new LatencyGateException(AdaptationErrors.NotGeneralized, $"predictor file is a '{metadata.ModelKind}' model; a generalized source needs a '{ModelKind}' model (made by `fit-generalized`)", location);
        }

        if (!string.Equals(metadata.Space, space.Name, StringComparison.OrdinalIgnoreCase))
        {
            throw new LatencyGateException(AdaptationErrors.NotGeneralized, $"predictor file was made for space '{metadata.Space}', not '{space.Name}'", location);
        }

        var physical = file.Find(PhysicalTensor)?.Values;
        var residual = file.Find(ResidualTensor)?.Values;
        if (physical is null || residual is null || physical.Length != HardwareGeneralizedPredictor.PhysicalTermCount || residual.Length != HardwareGeneralizedPredictor.ResidualLength(space))
        {
            throw new LatencyGateException(
                AdaptationErrors.NotGeneralized,
                string.Create(CultureInfo.InvariantCulture, $"predictor file needs tensors '{PhysicalTensor}' [{HardwareGeneralizedPredictor.PhysicalTermCount}] and '{ResidualTensor}' [{HardwareGeneralizedPredictor.ResidualLength(space)}]"),
                location);
        }

        var trainedOn = metadata.Extra.TryGetValue("trained_on", out var names) ? names.Split(';') : [];
        return HardwareGeneralizedPredictor.FromWeights(physical.Select(v => (double)v).ToArray(), residual.Select(v => (double)v).ToArray(), trainedOn);
    }
}
