using System.Globalization;
using LatencyGate.Diagnostics;
using LatencyGate.Learning;
using LatencyGate.Learning.WeightFiles;
using LatencyGate.Monotonicity;
using LatencyGate.Predictors;
using LatencyGate.Spaces;

namespace LatencyGate.Adaptation;

/// <summary>
/// A source prior (<see cref="SourcePrior"/>) as a LatencyGate predictor file, model kind
/// <c>source-prior</c>: the prior's numbers as IEEE bits (base64 under <c>source_prior</c> in the
/// metadata, so a loaded prior adapts and predicts bit for bit as the one fitted), the source devices
/// named under <c>sources</c>. Written by <c>fit --data SOURCES.csv --columns A,B,…</c>; <c>fit --base</c>
/// adapts it (strategy <c>source-prior</c>, what <c>auto</c> picks for it) and an adapted file embeds it.
/// </summary>
internal static class SourcePriorFile
{
    public const string ModelKind = "source-prior";
    private const string PayloadKey = "source_prior";
    private const string SourcesKey = "sources";

    public static void Save(string path, SourcePrior prior, LatencyPredictorFile.Provenance provenance)
    {
        var (metadata, tensors) = ToParts(prior, provenance);
        PredictorFile.Write(path, metadata, tensors);
    }

    /// <summary>What <see cref="Save"/> writes, as metadata and tensors (an adapted file embeds its base this way).</summary>
    public static (PredictorFileMetadata Metadata, List<NamedTensor> Tensors) ToParts(SourcePrior prior, LatencyPredictorFile.Provenance provenance)
    {
        ArgumentNullException.ThrowIfNull(prior);
        ArgumentNullException.ThrowIfNull(provenance);
        var metrics = new Dictionary<string, double>(provenance.Metrics, StringComparer.Ordinal);
        for (var s = 0; s < prior.Sources.Count; s++)
        {
            metrics[string.Create(CultureInfo.InvariantCulture, $"source{s}_archs")] = prior.TrainCounts[s];
        }

        var metadata = new PredictorFileMetadata(
            prior.Space,
            "structure features of the space (standardized on the source archs)",
            ModelKind,
            "stored in source_prior (mean and sd per kept feature)",
            "none (each source model outputs ms; its prediction is standardized into a prior column)",
            "ms",
            provenance.BatchSize,
            provenance.Device,
            provenance.TrainingDataSha256,
            metrics,
            new Dictionary<string, string>(StringComparer.Ordinal)
            {
                [PayloadKey] = Convert.ToBase64String(prior.Encode()),
                [SourcesKey] = string.Join(";", prior.Sources),
            });
        return (metadata, []);
    }

    /// <summary>The prior a <c>source-prior</c> file's metadata holds, of any space; LG0741 when it is not one.</summary>
    public static SourcePrior FromMetadata(PredictorFileMetadata metadata, string path)
    {
        ArgumentNullException.ThrowIfNull(metadata);
        var location = new SourceLocation(path);
        if (!string.Equals(metadata.ModelKind, ModelKind, StringComparison.Ordinal))
        {
            throw new LatencyGateException(TransferErrors.BadSourcePriorFile, $"predictor file is a '{metadata.ModelKind}' model, not a '{ModelKind}' (made by fit --data SOURCES.csv --columns A,B,…)", location);
        }

        try
        {
            var payload = Convert.FromBase64String(metadata.Extra.GetValueOrDefault(PayloadKey) ?? throw new InvalidDataException($"'{PayloadKey}' is missing"));
            var prior = SourcePrior.Decode(payload);
            return string.Equals(prior.Space, metadata.Space, StringComparison.Ordinal)
                ? prior
                : throw new InvalidDataException($"the prior is for space '{prior.Space}', the file says '{metadata.Space}'");
        }
        catch (Exception ex) when (ex is InvalidDataException or FormatException)
        {
            throw new LatencyGateException(TransferErrors.BadSourcePriorFile, $"source-prior file is unreadable: {ex.Message}", location);
        }
    }

    /// <summary>Reads a <c>source-prior</c> file of any space (fbnet, nasbench201 or OFA).</summary>
    public static SourcePrior Read(string path)
    {
        var (metadata, _) = PredictorFile.Read(path);
        return FromMetadata(metadata, path);
    }

    /// <summary>An OFA source-prior base for <paramref name="space"/>; LG0741 for another space.</summary>
    public static SourcePriorPredictor FromParts(PredictorFileMetadata metadata, string path, OfaSpace space)
    {
        ArgumentNullException.ThrowIfNull(space);
        var prior = FromMetadata(metadata, path);
        if (!string.Equals(prior.Space, space.Name, StringComparison.Ordinal) || prior.FeatureCount != OfaAdaptationFeatures.StructuralNames.Count)
        {
            throw new LatencyGateException(TransferErrors.BadSourcePriorFile, $"this source prior was made for space '{prior.Space}', not '{space.Name}'", new SourceLocation(path));
        }

        return new SourcePriorPredictor(prior, space);
    }
}
