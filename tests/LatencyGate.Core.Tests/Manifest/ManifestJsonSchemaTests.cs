using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using LatencyGate.Diagnostics;
using LatencyGate.Manifest;
using LatencyGate.Spaces;
using LatencyGate.Tests.Reporting;
using Shouldly;
using Xunit;

namespace LatencyGate.Tests.Manifest;

/// <summary>What editors see through the JSON Schema agrees with what the loader accepts.</summary>
public sealed class ManifestJsonSchemaTests
{
    private static readonly JsonSchemaValidator Schema =
        JsonSchemaValidator.FromFile(Path.Combine(ReferenceData.RepositoryRoot, "schema", "latency-gate.schema.json"));

    [Fact]
    public void Valid_manifest_and_starters_satisfy_the_schema()
    {
        Validate(ManifestWorkspace.ValidManifest).ShouldBeEmpty();
        foreach (var space in OfaSpace.All)
        {
            Validate(StarterManifest.Files(space)[0].Value).ShouldBeEmpty();
        }
    }

    [Theory]
    [InlineData("    budget_ms: 25\n", "    budget_mss: 25\n")]
    [InlineData("    budget_ms: 25\n", "    budget_ms: 0\n")]
    [InlineData("strategy: adaproxy", "strategy: adapt")]
    [InlineData("    lut: luts/note10", "    lut: luts/note10\n      file: predictors/gpu.safetensors")]
    [InlineData("  confidence: 0.9\n", "  confidence: 1\n")]
    [InlineData("  warn_margin: 10%", "  warn_margin: lots")]
    [InlineData("resolutions: [160, 176, 192]", "resolutions: [160, 170, 192]")]
    [InlineData("version: 1", "version: 2")]
    [InlineData("space: ofa-mbv3-w1.0", "space: ofa-mbv3-w1.1")]
    [InlineData("  - name: pixel4", "  - name: pixel 4")]
    public void Mistakes_the_loader_rejects_are_also_rejected_by_the_schema(string find, string replace)
    {
        var text = ManifestWorkspace.ValidManifest.Replace(find, replace, StringComparison.Ordinal);
        text.ShouldNotBe(ManifestWorkspace.ValidManifest);

        Validate(text).ShouldNotBeEmpty();
    }

    private static IReadOnlyList<string> Validate(string yaml)
    {
        var bag = new DiagnosticBag();
        var root = YamlTreeReader.Read(yaml, "m.yaml", bag);
        bag.Items.ShouldBeEmpty();
        using var doc = JsonDocument.Parse(ToJson(root!)!.ToJsonString());
        return Schema.Validate(doc.RootElement);
    }

    // YAML core schema for plain scalars: null, booleans, integers and floats; everything else is text.
    private static JsonNode? ToJson(YamlNode node)
    {
        switch (node.Kind)
        {
            case YamlNodeKind.Mapping:
                var obj = new JsonObject();
                foreach (var (k, v) in node.Pairs)
                {
                    obj[k.Text] = ToJson(v);
                }

                return obj;
            case YamlNodeKind.Sequence:
                return new JsonArray(node.Items.Select(ToJson).ToArray());
            default:
                if (node.IsNull)
                {
                    return null;
                }

                if (node.IsPlain)
                {
                    if (node.Text is "true" or "false")
                    {
                        return JsonValue.Create(node.Text == "true");
                    }

                    if (long.TryParse(node.Text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var l))
                    {
                        return JsonValue.Create(l);
                    }

                    if (double.TryParse(node.Text, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && double.IsFinite(d))
                    {
                        return JsonValue.Create(d);
                    }
                }

                return JsonValue.Create(node.Text);
        }
    }
}
