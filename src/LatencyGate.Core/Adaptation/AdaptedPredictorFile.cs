using System.Globalization;
using LatencyGate.Diagnostics;
using LatencyGate.Learning;
using LatencyGate.Learning.WeightFiles;
using LatencyGate.Predictors;
using LatencyGate.Predictors.Lut;
using LatencyGate.Spaces;

namespace LatencyGate.Adaptation;

/// <summary>
/// A predictor file (model kind <c>adapted</c>) holding what <c>fit --base</c> chose, whatever the
/// strategy: the base predictor(s) it was adapted from, embedded whole (tensors and metadata under
/// <c>base{i}.</c>), and <see cref="AdaptedPredictorCodec"/>'s payload (base64 in the metadata). Loading
/// rebuilds the bases from the same float32 tensors and decodes the payload against them, so the file
/// predicts, intervals included, exactly what the adapted predictor did in memory. Bases are learned
/// predictors (a predictor file or a seed-paper checkpoint), source priors, or lookup tables
/// (<see cref="LutBaseFile"/>: a built-in profile by name and content hash, a folder's tables embedded);
/// anything else (an adapted predictor file as the base) is refused (LG0207).
/// </summary>
internal static class AdaptedPredictorFile
{
    public const string ModelKind = LatencyPredictorFile.AdaptedModelKind;

    private const string PayloadKey = "adaptation";
    private const string StrategyKey = "adaptation_strategy";
    private const string BaseCountKey = "base_count";
    private const int MaxBases = 64;

    /// <summary>
    /// Writes <paramref name="adapted"/> (built on <paramref name="bases"/>) to <paramref name="path"/>.
    /// Only the bases it references need be passed; each must be a <see cref="LearnedLatencyPredictor"/>, a
    /// <see cref="SourcePriorPredictor"/> or a <see cref="LookupTablePredictor"/>.
    /// </summary>
    public static void Save(
        string path,
        ILatencyPredictor adapted,
        IReadOnlyList<ILatencyPredictor> bases,
        string strategy,
        IReadOnlyList<string> notes,
        LatencyPredictorFile.Provenance provenance)
    {
        var learned = bases.Select(b => RequireStorableBase(b, path)).ToArray();
        var space = adapted.Space;
        var payload = AdaptedPredictorCodec.Encode(adapted, bases, notes);
        var tensors = new List<NamedTensor>();
        var extra = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [PayloadKey] = Convert.ToBase64String(payload),
            [StrategyKey] = strategy,
            [BaseCountKey] = bases.Count.ToString(CultureInfo.InvariantCulture),
        };
        provenance.AddTo(extra);
        for (var i = 0; i < learned.Length; i++)
        {
            var prefix = Prefix(i);
            var (baseMetadata, baseTensors) = learned[i] switch
            {
                SourcePriorPredictor prior => SourcePriorFile.ToParts(prior.Prior, new LatencyPredictorFile.Provenance(null, null, null, new Dictionary<string, double>())),
                LookupTablePredictor lut => (LutBaseFile.ToMetadata(lut), new List<NamedTensor>()),
                MacsBasePredictor macs => (MacsBaseMetadata(macs), new List<NamedTensor>()),
                var b => LatencyPredictorFile.ToParts((LearnedLatencyPredictor)b, new LatencyPredictorFile.Provenance(((LearnedLatencyPredictor)b).Device, null, null, new Dictionary<string, double>())),
            };
            tensors.AddRange(baseTensors.Select(t => t with { Name = prefix + t.Name }));
            foreach (var (key, value) in PredictorFile.ToMap(baseMetadata))
            {
                extra.Add(prefix + key, value);
            }
        }

        var metadata = new PredictorFileMetadata(
            space.Name,
            "adapted: see base{i}.encoding",
            ModelKind,
            "per base (base{i}.input_normalization)",
            "none (the adaptation outputs ms)",
            "ms",
            provenance.BatchSize,
            provenance.Device,
            provenance.TrainingDataSha256,
            provenance.Metrics,
            extra);
        PredictorFile.Write(path, metadata, tensors);
    }

    /// <summary>
    /// <paramref name="basePredictor"/> when a file can hold it (learned, source prior, lookup tables), or
    /// LG0207 naming the alternative: called before adapting too, so such a base fails before the work rather than after.
    /// </summary>
    public static ILatencyPredictor RequireStorableBase(ILatencyPredictor basePredictor, string path) =>
        basePredictor is LearnedLatencyPredictor or SourcePriorPredictor or LookupTablePredictor or MacsBasePredictor ? basePredictor : throw new LatencyGateException(
            AdaptationErrors.NotStorable,
            $"cannot write {path}: the base '{basePredictor.Description}' is neither a learned predictor (a learned predictor file — mlp, additive or additive+mlp — or a seed-paper checkpoint), a source prior, lookup tables (a folder or builtin:note10) nor the analytic builtin:macs, and an adapted predictor file embeds its base. "
            + "Adapt from the base it was made from (an adapted predictor file is not adapted again), or through the manifest's finetune source, where the gate caches the adaptation.",
            new SourceLocation(path));

    /// <summary>The adapted predictor an <c>adapted</c> predictor file holds (called by <see cref="PredictorLoader.LoadAny"/>).</summary>
    internal static ILatencyPredictor FromParts(PredictorFileMetadata metadata, IReadOnlyList<NamedTensor> tensors, string path, OfaSpace space)
    {
        var location = new SourceLocation(path);
        if (!string.Equals(metadata.Space, space.Name, StringComparison.OrdinalIgnoreCase))
        {
            throw new LatencyGateException(LearningErrors.SpaceMismatch, $"this predictor was made for space '{metadata.Space}', not '{space.Name}'", location);
        }

        if (!metadata.Extra.TryGetValue(BaseCountKey, out var countText)
            || !int.TryParse(countText, NumberStyles.None, CultureInfo.InvariantCulture, out var count)
            || count < 1 || count > MaxBases)
        {
            throw Unreadable($"'{BaseCountKey}' is missing or not a count of 1 to {MaxBases}", location);
        }

        byte[] payload;
        try
        {
            payload = Convert.FromBase64String(metadata.Extra.GetValueOrDefault(PayloadKey) ?? throw Unreadable($"'{PayloadKey}' is missing", location));
        }
        catch (FormatException)
        {
            throw Unreadable($"'{PayloadKey}' is not base64", location);
        }

        var bases = new ILatencyPredictor[count];
        for (var i = 0; i < count; i++)
        {
            var prefix = Prefix(i);
            var map = metadata.Extra.Where(p => p.Key.StartsWith(prefix, StringComparison.Ordinal)).ToDictionary(p => p.Key[prefix.Length..], p => p.Value, StringComparer.Ordinal);
            if (map.Count == 0)
            {
                throw Unreadable($"base {i} is missing (no '{prefix}' metadata)", location);
            }

            var baseMetadata = PredictorFile.FromMap(map, path);
            if (string.Equals(baseMetadata.ModelKind, ModelKind, StringComparison.Ordinal))
            {
                throw Unreadable($"base {i} is itself an adapted predictor; bases are learned predictors, source priors or lookup tables", location);
            }

            var baseTensors = tensors.Where(t => t.Name.StartsWith(prefix, StringComparison.Ordinal)).Select(t => t with { Name = t.Name[prefix.Length..] }).ToArray();
            bases[i] = baseMetadata.ModelKind switch
            {
                SourcePriorFile.ModelKind => SourcePriorFile.FromParts(baseMetadata, path, space),
                LutBaseFile.ModelKind => LutBaseFile.FromMetadata(baseMetadata, path, space),
                MacsBaseKind => new MacsBasePredictor(space),
                _ => LatencyPredictorFile.FromParts(baseMetadata, baseTensors, path, space),
            };
        }

        try
        {
            return AdaptedPredictorCodec.Decode(payload, bases).Predictor;
        }
        catch (LatencyGateException ex) when (ex.Diagnostics.Count == 1 && ex.Diagnostics[0].Location is null)
        {
            // The codec knows nothing of files: say which one.
            throw new LatencyGateException(ex.Diagnostics[0].Code, ex.Diagnostics[0].Message, location);
        }
    }

    /// <summary>Model kind of the analytic MACs base inside an adapted file (metadata only: it is MACs × 1e-8 ms, nothing to store).</summary>
    private const string MacsBaseKind = "macs";

    private static PredictorFileMetadata MacsBaseMetadata(MacsBasePredictor macs) => new(
        macs.Space.Name,
        "MACs of the arch (" + MacsBasePredictor.Reference + ")",
        MacsBaseKind,
        "none",
        "none (MACs × 1e-8 ms)",
        "ms",
        null,
        null,
        null,
        new Dictionary<string, double>(),
        new Dictionary<string, string>(StringComparer.Ordinal));

    private static string Prefix(int index) => string.Create(CultureInfo.InvariantCulture, $"base{index}.");

    private static LatencyGateException Unreadable(string what, SourceLocation location) =>
        new(LearningErrors.PredictorUnreadable, $"adapted predictor file is unreadable: {what}", location);
}
