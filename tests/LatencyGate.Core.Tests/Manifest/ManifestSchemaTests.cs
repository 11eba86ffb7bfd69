using System.Text.Json;
using System.Text.RegularExpressions;
using LatencyGate.Manifest;
using Shouldly;
using Xunit;

namespace LatencyGate.Tests.Manifest;

/// <summary>The JSON Schema and docs/manifest.md say what the loader accepts, key for key.</summary>
public sealed partial class ManifestSchemaTests
{
    private static readonly Lazy<JsonDocument> Schema = new(() =>
        JsonDocument.Parse(File.ReadAllText(Path.Combine(ReferenceData.RepositoryRoot, "schema", "latency-gate.schema.json"))));

    public static TheoryData<string, string[]> Sections() => new()
    {
        { "", ManifestKeys.Root.ToArray() },
        { "properties/model", ManifestKeys.Model.ToArray() },
        { "properties/search", ManifestKeys.Search.ToArray() },
        { "properties/defaults", ManifestKeys.Defaults.ToArray() },
        { "properties/outputs", ManifestKeys.Outputs.ToArray() },
        { "definitions/device", ManifestKeys.Device.ToArray() },
        { "definitions/hardware", ManifestKeys.Hardware.ToArray() },
        { "definitions/predictor", ManifestKeys.Predictor.ToArray() },
        { "definitions/predictor/properties/finetune", ManifestKeys.Finetune.ToArray() },
        { "definitions/predictor/properties/generalized", ManifestKeys.Generalized.ToArray() },
        { "definitions/predictor/properties/proxy", ManifestKeys.Proxy.ToArray() },
        { "definitions/predictor/properties/calibrate", ManifestKeys.Calibrate.ToArray() },
        { "definitions/predictor/properties/measure", ManifestKeys.Measure.ToArray() },
        { "properties/accuracy/oneOf/1", ManifestKeys.Accuracy.ToArray() },
    };

    [Theory]
    [MemberData(nameof(Sections))]
    public void Schema_section_allows_exactly_the_loaders_keys(string pointer, string[] keys)
    {
        var node = Schema.Value.RootElement;
        foreach (var part in pointer.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            node = node.ValueKind == JsonValueKind.Array ? node[int.Parse(part, System.Globalization.CultureInfo.InvariantCulture)] : node.GetProperty(part);
        }

        node.GetProperty("additionalProperties").GetBoolean().ShouldBeFalse();
        node.GetProperty("properties").EnumerateObject().Select(p => p.Name).ShouldBe(keys, ignoreOrder: true);
    }

    [Fact]
    public void Schema_enums_match_the_loaders_choices()
    {
        var root = Schema.Value.RootElement;
        Strings(root.GetProperty("properties").GetProperty("space").GetProperty("enum"))
            .ShouldBe(LatencyGate.Spaces.OfaSpace.All.Select(s => s.Name), ignoreOrder: true);
        Strings(root.GetProperty("definitions").GetProperty("predictor").GetProperty("properties").GetProperty("finetune").GetProperty("properties").GetProperty("strategy").GetProperty("enum"))
            .ShouldBe(FinetuneSource.Strategies, ignoreOrder: true);
        Strings(root.GetProperty("properties").GetProperty("search").GetProperty("properties").GetProperty("mode").GetProperty("enum"))
            .ShouldBe(ManifestKeys.SearchModes, ignoreOrder: true);
        Strings(root.GetProperty("definitions").GetProperty("hardware").GetProperty("properties").GetProperty("kind").GetProperty("enum"))
            .ShouldBe(HardwareSpec.Kinds, ignoreOrder: true);
        Strings(root.GetProperty("properties").GetProperty("outputs").GetProperty("properties").GetProperty("formats").GetProperty("items").GetProperty("enum"))
            .ShouldBe(Enum.GetValues<LatencyGate.Reporting.ReportFormat>().Select(LatencyGate.Reporting.ReportFormats.Name), ignoreOrder: true);
    }

    [Fact]
    public void Docs_document_every_key()
    {
        var docs = File.ReadAllText(Path.Combine(ReferenceData.RepositoryRoot, "docs", "manifest.md"));
        var documented = KeyInBackticks().Matches(docs).Select(m => m.Groups[1].Value).ToHashSet();
        var all = ManifestKeys.Root.Concat(ManifestKeys.Accuracy).Concat(ManifestKeys.Model).Concat(ManifestKeys.Search)
            .Concat(ManifestKeys.Defaults).Concat(ManifestKeys.Device).Concat(ManifestKeys.Hardware).Concat(ManifestKeys.Predictor)
            .Concat(ManifestKeys.Finetune).Concat(ManifestKeys.Generalized).Concat(ManifestKeys.Proxy).Concat(ManifestKeys.Calibrate).Concat(ManifestKeys.Measure)
            .Concat(ManifestKeys.Outputs).Distinct();
        all.Where(k => !documented.Contains(k)).ShouldBeEmpty();
    }

    private static IEnumerable<string> Strings(JsonElement array) => array.EnumerateArray().Select(e => e.GetString()!);

    [GeneratedRegex(@"`([a-z_0-9]+)`")]
    private static partial Regex KeyInBackticks();
}
