using System.Globalization;
using System.Text.Json;
using LatencyGate.Diagnostics;

namespace LatencyGate.Learning.WeightFiles;

/// <summary>LatencyGate's predictor file: safetensors whose <c>__metadata__</c> describes the predictor.</summary>
internal static class PredictorFile
{
    public const string FormatKey = "format";
    public const string VersionKey = "format_version";

    private const string SpaceKey = "space";
    private const string EncodingKey = "encoding";
    private const string ModelKindKey = "model_kind";
    private const string InputNormalizationKey = "input_normalization";
    private const string TargetNormalizationKey = "target_normalization";
    private const string UnitKey = "unit";
    private const string BatchSizeKey = "batch_size";
    private const string DeviceKey = "device";
    private const string Sha256Key = "training_data_sha256";
    private const string MetricsKey = "training_metrics";

    public static readonly IReadOnlySet<string> ReservedKeys = new HashSet<string>(StringComparer.Ordinal)
    {
        FormatKey, VersionKey, SpaceKey, EncodingKey, ModelKindKey, InputNormalizationKey, TargetNormalizationKey,
        UnitKey, BatchSizeKey, DeviceKey, Sha256Key, MetricsKey,
    };

    /// <summary>Writes atomically (temporary file, then move); the same inputs give the same bytes.</summary>
    public static void Write(string path, PredictorFileMetadata metadata, IReadOnlyList<NamedTensor> tensors) =>
        SafetensorsFile.Write(path, tensors, ToMap(metadata));

    public static Dictionary<string, string> ToMap(PredictorFileMetadata metadata)
    {
        ArgumentNullException.ThrowIfNull(metadata);
        var map = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [FormatKey] = PredictorFileMetadata.FormatName,
            [VersionKey] = PredictorFileMetadata.CurrentVersion.ToString(CultureInfo.InvariantCulture),
            [SpaceKey] = metadata.Space,
            [EncodingKey] = metadata.Encoding,
            [ModelKindKey] = metadata.ModelKind,
            [InputNormalizationKey] = metadata.InputNormalization,
            [TargetNormalizationKey] = metadata.TargetNormalization,
            [UnitKey] = metadata.Unit,
            [MetricsKey] = MetricsJson(metadata.TrainingMetrics),
        };
        if (metadata.BatchSize is { } batch)
        {
            map[BatchSizeKey] = batch.ToString(CultureInfo.InvariantCulture);
        }

        if (metadata.DeviceName is not null)
        {
            map[DeviceKey] = metadata.DeviceName;
        }

        if (metadata.TrainingDataSha256 is not null)
        {
            map[Sha256Key] = metadata.TrainingDataSha256;
        }

        foreach (var (key, value) in metadata.Extra)
        {
            if (!map.TryAdd(key, value) || ReservedKeys.Contains(key))
            {
                throw new ArgumentException($"Extra metadata key '{key}' is reserved.", nameof(metadata));
            }
        }

        return map;
    }

    public static (PredictorFileMetadata Metadata, WeightFile File) Read(string path)
    {
        var file = SafetensorsFile.Read(path);
        return (FromMap(file.Metadata, path), file);
    }

    public static PredictorFileMetadata FromMap(IReadOnlyDictionary<string, string> map, string path)
    {
        ArgumentNullException.ThrowIfNull(map);
        if (!map.TryGetValue(FormatKey, out var format) || format != PredictorFileMetadata.FormatName)
        {
            throw WeightFileError.At(path, WeightFileCodes.NotAPredictorFile, format is null
                ? $"Not a LatencyGate predictor file: its metadata has no '{FormatKey}' (expected '{PredictorFileMetadata.FormatName}')."
                : $"Not a LatencyGate predictor file: format '{format}', expected '{PredictorFileMetadata.FormatName}'.");
        }

        if (!map.TryGetValue(VersionKey, out var versionText)
            || !int.TryParse(versionText, NumberStyles.None, CultureInfo.InvariantCulture, out var version)
            || version < 1 || version > PredictorFileMetadata.CurrentVersion)
        {
            throw WeightFileError.At(path, WeightFileCodes.UnsupportedPredictorVersion, string.Create(CultureInfo.InvariantCulture,
                $"Predictor file format version '{versionText}' is not supported; this LatencyGate reads version 1 to {PredictorFileMetadata.CurrentVersion}."));
        }

        string Required(string key) => map.TryGetValue(key, out var v)
            ? v
            : throw WeightFileError.At(path, WeightFileCodes.PredictorMetadata, $"Predictor file metadata lacks '{key}'.");

        int? batch = null;
        if (map.TryGetValue(BatchSizeKey, out var batchText))
        {
            batch = int.TryParse(batchText, NumberStyles.None, CultureInfo.InvariantCulture, out var b) && b > 0
                ? b
                : throw WeightFileError.At(path, WeightFileCodes.PredictorMetadata, $"Predictor file metadata '{BatchSizeKey}' is '{batchText}', not a positive integer.");
        }

        // Every writer records "ms" and every reader takes the outputs as milliseconds: another unit
        // (a file edited to "s") would be read 1000-fold off without a word.
        var unit = Required(UnitKey);
        if (!string.Equals(unit, "ms", StringComparison.Ordinal))
        {
            throw WeightFileError.At(path, WeightFileCodes.PredictorMetadata, $"Predictor file metadata '{UnitKey}' is '{EchoText.Cut(unit)}'; this LatencyGate reads predictors of latency in milliseconds ('ms').");
        }

        return new PredictorFileMetadata(
            Required(SpaceKey),
            Required(EncodingKey),
            Required(ModelKindKey),
            Required(InputNormalizationKey),
            Required(TargetNormalizationKey),
            unit,
            batch,
            map.GetValueOrDefault(DeviceKey),
            map.GetValueOrDefault(Sha256Key),
            ParseMetrics(map.GetValueOrDefault(MetricsKey), path),
            map.Where(p => !ReservedKeys.Contains(p.Key)).OrderBy(p => p.Key, StringComparer.Ordinal)
                .ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal));
    }

    // Metrics are a JSON object of numbers written with "R" so every double reads back bit-exactly.
    private static string MetricsJson(IReadOnlyDictionary<string, double> metrics)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream))
        {
            writer.WriteStartObject();
            foreach (var (key, value) in metrics.OrderBy(p => p.Key, StringComparer.Ordinal))
            {
                if (!double.IsFinite(value))
                {
                    // A metric that could not be computed (a rank correlation of constant values) is
                    // left out: the format holds numbers only, and readers treat a missing metric as unknown.
                    continue;
                }

                writer.WritePropertyName(key);
                writer.WriteRawValue(value.ToString("R", CultureInfo.InvariantCulture));
            }

            writer.WriteEndObject();
        }

        return System.Text.Encoding.UTF8.GetString(stream.ToArray());
    }

    private static Dictionary<string, double> ParseMetrics(string? json, string path)
    {
        var metrics = new Dictionary<string, double>(StringComparer.Ordinal);
        if (json is null)
        {
            return metrics;
        }

        try
        {
            using var document = JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = 4 });
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw new JsonException("expected an object");
            }

            foreach (var p in document.RootElement.EnumerateObject())
            {
                metrics[p.Name] = p.Value.ValueKind == JsonValueKind.Number ? p.Value.GetDouble() : throw new JsonException($"'{p.Name}' is not a number");
            }
        }
        catch (JsonException e)
        {
            throw WeightFileError.At(path, WeightFileCodes.PredictorMetadata, $"Predictor file metadata '{MetricsKey}' is not a JSON object of numbers: {e.Message}");
        }

        return metrics;
    }
}
