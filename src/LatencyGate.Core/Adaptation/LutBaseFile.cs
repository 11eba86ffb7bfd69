using System.Globalization;
using System.Text;
using System.Text.Json;
using LatencyGate.Diagnostics;
using LatencyGate.Learning.WeightFiles;
using LatencyGate.Predictors.Lut;
using LatencyGate.Predictors.Profiles;
using LatencyGate.Spaces;

namespace LatencyGate.Adaptation;

/// <summary>
/// A lookup-table base inside an adapted predictor file (model kind <c>lookup-tables</c>, metadata only,
/// no tensors). A built-in profile (<c>builtin:note10</c>) is referenced by name with the sha256 of its
/// content (<see cref="LutContent"/>); loading checks the tool's own copy against it (LG0260), so a file
/// never silently predicts from other tables than it was adapted on. Tables read from a folder are
/// embedded whole, one JSON object per resolution (key to mean, every mean written round-trip exact),
/// with the same sha256, checked on load (LG0261): the file needs no folder to predict and a
/// hand-edited table is refused rather than used.
/// </summary>
internal static class LutBaseFile
{
    public const string ModelKind = "lookup-tables";

    private const string SourceKey = "lut_source";
    private const string NameKey = "lut_name";
    private const string Sha256Key = "lut_sha256";
    private const string InterpolateKey = "lut_interpolate";
    private const string TablePrefix = "lut_table.";
    private const string Embedded = "embedded";

    /// <summary>The metadata an adapted file stores for <paramref name="lut"/> (under its <c>base{i}.</c> prefix).</summary>
    public static PredictorFileMetadata ToMetadata(LookupTablePredictor lut)
    {
        ArgumentNullException.ThrowIfNull(lut);
        // Tables that came out of an adapted file keep their origin: a built-in profile stays referenced.
        var builtin = BuiltinProfiles.IsReference(lut.InAdaptedFile ? lut.Name : lut.Folder);
        var extra = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [SourceKey] = builtin ? (lut.InAdaptedFile ? lut.Name : lut.Folder) : Embedded,
            [NameKey] = lut.Name,
            [Sha256Key] = LutContent.Sha256(lut.Tables),
            [InterpolateKey] = lut.AllowInterpolation ? "true" : "false",
        };
        if (!builtin)
        {
            foreach (var table in lut.Tables)
            {
                extra[TablePrefix + table.Resolution.ToString(CultureInfo.InvariantCulture)] = TableJson(table);
            }
        }

        return new PredictorFileMetadata(
            lut.Space.Name,
            "OFA layer keys (one table per resolution)",
            ModelKind,
            "none",
            "none (the sum of the layers' mean latencies)",
            "ms",
            null,
            null,
            null,
            new Dictionary<string, double>(),
            extra);
    }

    /// <summary>The lookup-table predictor an adapted file's base metadata describes, checked against its sha256.</summary>
    public static LookupTablePredictor FromMetadata(PredictorFileMetadata metadata, string path, OfaSpace space)
    {
        ArgumentNullException.ThrowIfNull(metadata);
        var location = new SourceLocation(path);
        if (!string.Equals(metadata.Space, space.Name, StringComparison.Ordinal))
        {
            throw new LatencyGateException(LearningErrors.SpaceMismatch, $"the lookup-table base of this predictor is for space '{EchoText.Cut(metadata.Space)}', not '{space.Name}'", location);
        }

        var source = Required(metadata, SourceKey, location);
        var recorded = Required(metadata, Sha256Key, location);
        var interpolate = Required(metadata, InterpolateKey, location) switch
        {
            "true" => true,
            "false" => false,
            var other => throw Unreadable($"'{InterpolateKey}' is '{EchoText.Cut(other)}', not true or false", location),
        };

        if (BuiltinProfiles.IsReference(source))
        {
            var builtin = BuiltinProfiles.LoadLookupTables(source, space, interpolate, location);
            var actual = LutContent.Sha256(builtin.Tables);
            return string.Equals(actual, recorded, StringComparison.Ordinal)
                ? LookupTablePredictor.FromTables(path, [.. builtin.Tables], space, interpolate, builtin.Name, inAdaptedFile: true)
                : throw new LatencyGateException(
                    AdaptationErrors.BuiltinBaseChanged,
                    $"this predictor was adapted from the built-in tables '{source}' with content sha256 {EchoText.Cut(recorded)}, but this version of the tool ships '{source}' with sha256 {actual}: its predictions would not be the ones fit made and evaluated; refit it with this tool (fit --base {source} …)",
                    location);
        }

        if (!string.Equals(source, Embedded, StringComparison.Ordinal))
        {
            throw Unreadable($"'{SourceKey}' is '{EchoText.Cut(source)}', expected '{Embedded}' or a builtin: profile", location);
        }

        var tables = new List<LutTable>();
        foreach (var (key, json) in metadata.Extra.Where(p => p.Key.StartsWith(TablePrefix, StringComparison.Ordinal)))
        {
            var resolutionText = key[TablePrefix.Length..];
            if (!int.TryParse(resolutionText, NumberStyles.None, CultureInfo.InvariantCulture, out var resolution) || !space.SupportsResolution(resolution))
            {
                throw Unreadable($"embedded table '{EchoText.Cut(key)}' is not named by a resolution of {space.Name}", location);
            }

            tables.Add(LutTable.FromMeans(path, resolution, ParseTable(json, key, location))
                ?? throw Unreadable($"embedded table '{key}' has a mean that is not a finite non-negative number", location));
        }

        if (tables.Count == 0)
        {
            throw Unreadable("the lookup-table base embeds no table", location);
        }

        var content = LutContent.Sha256(tables);
        if (!string.Equals(content, recorded, StringComparison.Ordinal))
        {
            throw new LatencyGateException(
                AdaptationErrors.EmbeddedTablesAltered,
                $"the lookup tables embedded in this predictor (from '{EchoText.Cut(metadata.Extra.GetValueOrDefault(NameKey) ?? "?")}') hash to sha256 {content}, not the {EchoText.Cut(recorded)} recorded when it was written: the file was edited or damaged; refit it (fit --base FOLDER …) rather than predict from altered tables",
                location);
        }

        return LookupTablePredictor.FromTables(path, tables, space, interpolate, metadata.Extra.GetValueOrDefault(NameKey), inAdaptedFile: true);
    }

    private static string TableJson(LutTable table)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream))
        {
            writer.WriteStartObject();
            foreach (var (key, mean) in table.Entries)
            {
                writer.WritePropertyName(key);
                writer.WriteRawValue(mean.ToString("R", CultureInfo.InvariantCulture));
            }

            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }

    private static Dictionary<string, double> ParseTable(string json, string key, SourceLocation location)
    {
        var means = new Dictionary<string, double>(StringComparer.Ordinal);
        try
        {
            using var document = JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = 2 });
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw new JsonException("expected an object of layer keys to means");
            }

            foreach (var entry in document.RootElement.EnumerateObject())
            {
                if (!entry.Value.TryGetDouble(out var mean) || !means.TryAdd(entry.Name, mean))
                {
                    throw new JsonException($"entry '{EchoText.Cut(entry.Name)}' is not a number or appears twice");
                }
            }
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException)
        {
            throw Unreadable($"embedded table '{key}' is not a JSON object of numbers: {ex.Message}", location);
        }

        return means;
    }

    private static string Required(PredictorFileMetadata metadata, string key, SourceLocation location) =>
        metadata.Extra.GetValueOrDefault(key) ?? throw Unreadable($"'{key}' is missing", location);

    private static LatencyGateException Unreadable(string what, SourceLocation location) =>
        new(LearningErrors.PredictorUnreadable, $"adapted predictor file is unreadable: its lookup-table base: {what}", location);
}
