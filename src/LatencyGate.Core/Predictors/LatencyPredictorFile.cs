using System.Globalization;
using LatencyGate.Diagnostics;
using LatencyGate.Learning;
using LatencyGate.Learning.WeightFiles;
using LatencyGate.Spaces;
using LatencyGate.Spaces.Encodings;

namespace LatencyGate.Predictors;

/// <summary>
/// Saves and loads learned latency predictors: our predictor file (safetensors + metadata), or a
/// PyTorch checkpoint holding the seed paper's MLP state_dict (read without executing pickle code).
/// </summary>
internal static class LatencyPredictorFile
{
    /// <summary>What predictor files call OFA's tutorial one-hot encoding (kept for files already written).</summary>
    /// <summary>The model kind of a file holding a base and its adaptation (decoded by Adaptation.AdaptedPredictorFile).</summary>
    internal const string AdaptedModelKind = "adapted";

    private const string MlpEncodingName = "ofa-onehot-128";

    private const string NetworkPrefix = "mlp.";
    private const string ActivationKey = "hidden_activation";

    /// <summary>What the file records about the data and the fit, next to the model itself.</summary>
    internal sealed record Provenance(string? Device, int? BatchSize, string? TrainingDataSha256, IReadOnlyDictionary<string, double> Metrics)
    {
        /// <summary>The machines the training data was measured on (measurements CSV machine columns), recorded as <c>measured_on</c>.</summary>
        public IReadOnlyList<IReadOnlyList<string>> MeasuredOn { get; init; } = [];

        /// <summary>The metadata fields that describe the data rather than the model.</summary>
        internal void AddTo(IDictionary<string, string> extra)
        {
            if (MeasuredOnMetadata.Encode(MeasuredOn) is { } machines)
            {
                extra[MeasuredOnMetadata.Key] = machines;
            }
        }
    }

    public static void Save(string path, LearnedLatencyPredictor predictor, Provenance provenance)
    {
        var (metadata, tensors) = ToParts(predictor, provenance);
        PredictorFile.Write(path, metadata, tensors);
    }

    /// <summary>What <see cref="Save"/> writes, as metadata and tensors (an adapted file embeds its base this way).</summary>
    internal static (PredictorFileMetadata Metadata, List<NamedTensor> Tensors) ToParts(LearnedLatencyPredictor predictor, Provenance provenance)
    {
        var tensors = new List<NamedTensor>();
        if (predictor.Network is { } network)
        {
            tensors.AddRange(network.ToTensors(NetworkPrefix));
        }

        if (predictor.Additive is { } additive)
        {
            tensors.AddRange(additive.ToTensors());
        }

        tensors.Add(new NamedTensor("target_scaler", [2], [(float)predictor.TargetScaler.Shift, (float)predictor.TargetScaler.Scale]));
        tensors.Add(new NamedTensor("base_input_scaler", [2], [(float)predictor.BaseInputScaler.Shift, (float)predictor.BaseInputScaler.Scale]));
        var hybrid = predictor.Kind == LatencyModelKind.AdditiveMlp;
        var metadata = new PredictorFileMetadata(
            predictor.Space.Name,
            predictor.Kind switch
            {
                LatencyModelKind.Mlp => MlpEncodingName,
                LatencyModelKind.Additive => "ofa-layer-keys(slot,ks,e)xresolution-knots",
                _ => MlpEncodingName + "+additive-estimate",
            },
            predictor.Kind.Name(),
            hybrid ? "one-hot unscaled; additive estimate standardized by base_input_scaler" : "none",
            predictor.Kind == LatencyModelKind.Additive ? "none" : "standardize by target_scaler (shift, scale)" + (hybrid ? " of the residual over the additive estimate" : string.Empty),
            "ms",
            provenance.BatchSize,
            provenance.Device,
            provenance.TrainingDataSha256,
            provenance.Metrics,
            Extra(predictor, provenance));
        return (metadata, tensors);
    }

    private static Dictionary<string, string> Extra(LearnedLatencyPredictor predictor, Provenance provenance)
    {
        var extra = new Dictionary<string, string>(StringComparer.Ordinal);
        provenance.AddTo(extra);
        if (predictor.Network is not null)
        {
            extra[ActivationKey] = predictor.Network.HiddenActivation.Name();
        }

        if (predictor.TrainingArchs is { } archs)
        {
            extra[ArchSetFilter.MetadataKey] = archs.Encode();
        }

        return extra;
    }

    /// <summary>Loads a learned predictor file or a seed-paper checkpoint for <paramref name="space"/> (not an adapted file: see Adaptation.PredictorLoader.LoadAny).</summary>
    public static LearnedLatencyPredictor Load(string path, OfaSpace space) => FromFile(WeightFileReader.Read(path), path, space);

    /// <summary>A learned predictor or checkpoint from a file already read; an adapted file is refused (LG0153).</summary>
    internal static LearnedLatencyPredictor FromFile(WeightFile file, string path, OfaSpace space)
    {
        var metadata = Metadata(file, path);
        if (metadata is null)
        {
            return FromCheckpoint(file, path, space);
        }

        return string.Equals(metadata.ModelKind, AdaptedModelKind, StringComparison.Ordinal)
            ? throw new LatencyGateException(LearningErrors.PredictorUnreadable, $"this is an adapted predictor file ({AdaptedModelKind}); it holds a base and its adaptation, not a model that can be trained further", new SourceLocation(path))
            : FromParts(metadata, file.Tensors, path, space);
    }

    /// <summary>The file's LatencyGate metadata, or null for a checkpoint (a state_dict without it).</summary>
    internal static PredictorFileMetadata? Metadata(WeightFile file, string path) =>
        file.Metadata.Count == 0 || !file.Metadata.ContainsKey(PredictorFile.FormatKey) ? null : PredictorFile.FromMap(file.Metadata, path);

    /// <summary>A learned predictor from its metadata and tensors (a file's own, or a base embedded in an adapted file).</summary>
    internal static LearnedLatencyPredictor FromParts(PredictorFileMetadata metadata, IReadOnlyList<NamedTensor> tensors, string path, OfaSpace space)
    {
        if (!string.Equals(metadata.Space, space.Name, StringComparison.OrdinalIgnoreCase))
        {
            throw new LatencyGateException(LearningErrors.SpaceMismatch, $"this predictor was made for space '{metadata.Space}', not '{space.Name}'", new SourceLocation(path));
        }

        if (!LatencyModelKinds.TryParse(metadata.ModelKind, out var kind))
        {
            throw new LatencyGateException(LearningErrors.PredictorUnreadable, $"unknown model kind '{metadata.ModelKind}'; this LatencyGate reads mlp, additive, additive+mlp and {AdaptedModelKind}", new SourceLocation(path));
        }

        NamedTensor Need(string name) => tensors.FirstOrDefault(t => string.Equals(t.Name, name, StringComparison.Ordinal))
            ?? throw new LatencyGateException(LearningErrors.PredictorUnreadable, $"predictor file lacks tensor '{name}'", new SourceLocation(path));

        try
        {
            Mlp? network = null;
            if (kind != LatencyModelKind.Additive)
            {
                var activation = ActivationFunctions.Parse(metadata.Extra.GetValueOrDefault(ActivationKey, "relu"));
                network = Mlp.FromTensors(StateDictLayers.Ordered(tensors.Where(t => t.Name.StartsWith(NetworkPrefix, StringComparison.Ordinal)).ToArray()), activation);
            }

            var additive = kind == LatencyModelKind.Mlp ? null : AdditiveLatencyModel.FromTensors(Need("additive.knots"), Need("additive.weights"), Need("additive.intercept"));
            var ts = Need("target_scaler").Values;
            var bs = Need("base_input_scaler").Values;
            if (ts.Length != 2 || bs.Length != 2)
            {
                throw new ArgumentException("target_scaler and base_input_scaler hold (shift, scale)");
            }

            return new LearnedLatencyPredictor(space, kind, network, new TargetScaler(ts[0], ts[1]), additive, new TargetScaler(bs[0], bs[1]), metadata.DeviceName)
            {
                TrainingArchs = ArchSetFilter.Decode(metadata.Extra.GetValueOrDefault(ArchSetFilter.MetadataKey)),
            };
        }
        catch (ArgumentException ex)
        {
            throw new LatencyGateException(LearningErrors.PredictorUnreadable, $"predictor file is inconsistent: {ex.Message}", new SourceLocation(path));
        }
    }

    /// <summary>
    /// OFA's accuracy predictor (acc_predictor.pth) has the shape of the seed paper's latency MLP and
    /// would "predict" 0.8 ms for every arch; it is recognised by its first layer, which is the
    /// built-in copy's.
    /// </summary>
    private static bool IsOfaAccuracyPredictor(Mlp network)
    {
        if (network.Shape != "128-400-400-400-1")
        {
            return false;
        }

        var builtin = Profiles.BuiltinProfiles.LoadAccuracyPredictor(Profiles.BuiltinProfiles.Prefix + Profiles.BuiltinProfiles.OfaAccuracy).Network;
        return network.Layers[0].Weight.Data.AsSpan().SequenceEqual(builtin.Layers[0].Weight.Data);
    }

    private static LearnedLatencyPredictor FromCheckpoint(WeightFile file, string path, OfaSpace space)
    {
        try
        {
            var network = Mlp.FromTensors(StateDictLayers.Ordered(file.Tensors), Activation.Relu);
            if (network.InputSize != TutorialOneHotEncoding.Size || network.OutputSize != 1)
            {
                throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"the network is {network.Shape}; a latency MLP over the 128-d one-hot encoding maps 128 inputs to 1 output"));
            }

            if (IsOfaAccuracyPredictor(network))
            {
                throw new ArgumentException($"it holds OFA's accuracy predictor (the weights of {Profiles.BuiltinProfiles.Prefix}{Profiles.BuiltinProfiles.OfaAccuracy}), which scores top-1 accuracy, not latency; name it as the manifest's accuracy predictor (or `accuracy --predictor`)");
            }

            return new LearnedLatencyPredictor(space, LatencyModelKind.Mlp, network, TargetScaler.Identity, null, null, Path.GetFileNameWithoutExtension(path));
        }
        catch (ArgumentException ex)
        {
            throw new LatencyGateException(LearningErrors.PredictorUnreadable, $"checkpoint is not an MLP latency predictor state_dict: {ex.Message}", new SourceLocation(path));
        }
    }
}
