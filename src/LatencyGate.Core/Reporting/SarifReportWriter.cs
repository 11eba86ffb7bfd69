using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using LatencyGate.Diagnostics;
using LatencyGate.Gating;

namespace LatencyGate.Reporting;

/// <summary>
/// SARIF 2.1.0 for code-scanning UIs: one run, a rule per LG code used, a result per finding with
/// its physical location in the manifest (the device's budget_ms line for budget findings).
/// </summary>
internal static class SarifReportWriter
{
    public const string SchemaUri = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";

    public static string Write(GateResult result) =>
        Write(GateFindings.For(result), result.ToolVersion, (int)result.ExitCode);

    /// <summary>Also usable without a result, e.g. for an invalid manifest (exit code 2).</summary>
    public static string Write(IReadOnlyList<Diagnostic> diagnostics, string toolVersion, int exitCode)
    {
        var rules = diagnostics.Select(d => d.Code).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            w.WriteStartObject();
            w.WriteString("$schema", SchemaUri);
            w.WriteString("version", "2.1.0");
            w.WriteStartArray("runs");
            w.WriteStartObject();

            w.WriteStartObject("tool");
            w.WriteStartObject("driver");
            w.WriteString("name", "LatencyGate");
            w.WriteString("semanticVersion", SemanticVersion(toolVersion));
            w.WriteString("version", toolVersion);
            w.WriteStartArray("rules");
            foreach (var code in rules)
            {
                var level = diagnostics.First(d => d.Code == code).Severity;
                w.WriteStartObject();
                w.WriteString("id", code);
                w.WriteString("name", RuleCatalog.Name(code));
                w.WriteStartObject("shortDescription");
                w.WriteString("text", RuleCatalog.Title(code));
                w.WriteEndObject();
                w.WriteStartObject("fullDescription");
                w.WriteString("text", RuleCatalog.Description(code));
                w.WriteEndObject();
                w.WriteStartObject("defaultConfiguration");
                w.WriteString("level", Level(level));
                w.WriteEndObject();
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteEndObject();
            w.WriteEndObject();

            w.WriteStartArray("invocations");
            w.WriteStartObject();
            w.WriteBoolean("executionSuccessful", exitCode is 0 or 1);
            w.WriteNumber("exitCode", exitCode);
            w.WriteEndObject();
            w.WriteEndArray();

            w.WriteStartArray("results");
            foreach (var d in diagnostics)
            {
                w.WriteStartObject();
                w.WriteString("ruleId", d.Code);
                w.WriteNumber("ruleIndex", rules.IndexOf(d.Code));
                w.WriteString("level", Level(d.Severity));
                w.WriteStartObject("message");
                w.WriteString("text", d.Message);
                w.WriteEndObject();
                if (d.Location is { } at && at.File.Length > 0)
                {
                    w.WriteStartArray("locations");
                    w.WriteStartObject();
                    w.WriteStartObject("physicalLocation");
                    w.WriteStartObject("artifactLocation");
                    w.WriteString("uri", Uri(at.File));
                    w.WriteEndObject();
                    if (at.Line > 0)
                    {
                        w.WriteStartObject("region");
                        w.WriteNumber("startLine", at.Line);
                        if (at.Column > 0)
                        {
                            w.WriteNumber("startColumn", at.Column);
                        }

                        w.WriteEndObject();
                    }

                    w.WriteEndObject();
                    w.WriteEndObject();
                    w.WriteEndArray();
                }

                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteEndObject();
            w.WriteEndArray();
            w.WriteEndObject();
        }

        return Encoding.UTF8.GetString(stream.ToArray()) + "\n";
    }

    private static string Level(DiagnosticSeverity severity) => severity switch
    {
        DiagnosticSeverity.Error => "error",
        DiagnosticSeverity.Warning => "warning",
        _ => "note",
    };

    // Relative paths stay relative (code-scanning resolves them against the checkout); absolute ones become file URIs.
    private static string Uri(string path)
    {
        var portable = ReportText.PortablePath(path);
        return Path.IsPathFullyQualified(path) ? new Uri(path).AbsoluteUri : System.Uri.EscapeDataString(portable).Replace("%2F", "/", StringComparison.Ordinal);
    }

    private static string SemanticVersion(string version)
    {
        var plus = version.IndexOf('+', StringComparison.Ordinal);
        return plus >= 0 ? version[..plus] : version;
    }
}
