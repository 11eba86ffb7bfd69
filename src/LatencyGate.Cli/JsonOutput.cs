using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using LatencyGate.Diagnostics;

namespace LatencyGate.Cli;

/// <summary>
/// What <c>--json</c> prints: one JSON object on stdout and nothing else (diagnostics still go to
/// stderr, in the canonical form, as well as into the object).
/// </summary>
internal static class JsonOutput
{
    private static readonly JsonWriterOptions Options = new() { Indented = true, NewLine = "\n", Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static string Write(Action<Utf8JsonWriter> body)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream, Options))
        {
            writer.WriteStartObject();
            body(writer);
            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }

    /// <summary>An outcome that produced no result (bad input): the exit code and the diagnostics.</summary>
    public static string Failure(ExitCode exitCode, IReadOnlyList<Diagnostic> diagnostics) => Write(w =>
    {
        w.WriteString("verdict", "error");
        w.WriteNumber("exit_code", (int)exitCode);
        WriteDiagnostics(w, diagnostics);
    });

    public static void WriteDiagnostics(Utf8JsonWriter w, IReadOnlyList<Diagnostic> diagnostics)
    {
        w.WriteStartArray("diagnostics");
        foreach (var d in diagnostics)
        {
            w.WriteStartObject();
            w.WriteString("code", d.Code);
            w.WriteString("severity", d.Severity.ToString().ToLowerInvariant());
            w.WriteString("message", d.Message);
            if (d.Location is { } at)
            {
                w.WriteString("file", at.File);
                if (at.Line > 0)
                {
                    w.WriteNumber("line", at.Line);
                }

                if (at.Column > 0)
                {
                    w.WriteNumber("column", at.Column);
                }
            }

            w.WriteEndObject();
        }

        w.WriteEndArray();
    }

    /// <summary>Embeds a JSON document already written (a report) under <paramref name="name"/>.</summary>
    public static void WriteRaw(Utf8JsonWriter w, string name, ReadOnlySpan<byte> json)
    {
        w.WritePropertyName(name);
        using var document = JsonDocument.Parse(json.ToArray());
        document.WriteTo(w);
    }
}
