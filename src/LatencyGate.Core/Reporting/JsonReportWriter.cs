using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using LatencyGate.Diagnostics;
using LatencyGate.Gating;

namespace LatencyGate.Reporting;

/// <summary>
/// The machine-readable report, schema documented in docs/reports.md. Field names are snake_case;
/// fields are only ever added within a schema_version, never renamed or removed.
/// </summary>
internal static class JsonReportWriter
{
    public const int SchemaVersion = 2;

    public static string Write(GateResult result)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            w.WriteStartObject();
            w.WriteNumber("schema_version", SchemaVersion);
            w.WriteStartObject("tool");
            w.WriteString("name", "latency-gate");
            w.WriteString("version", result.ToolVersion);
            w.WriteEndObject();
            w.WriteString("manifest", ReportText.PortablePath(result.ManifestPath));
            w.WriteString("space", result.Space);
            w.WriteString("mode", ReportText.Mode(result.Mode));
            w.WriteString("verdict", ReportText.Verdict(result.Overall));
            w.WriteNumber("exit_code", (int)result.ExitCode);
            w.WriteString("started_at", result.StartedAt.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture));
            w.WriteNumberOrNull("total_seconds", ReportText.Round(result.TotalSeconds));
            w.WriteStartObject("summary");
            foreach (var v in new[] { Verdict.Pass, Verdict.Warn, Verdict.Fail, Verdict.Error, Verdict.Skipped })
            {
                w.WriteNumber(ReportText.Verdict(v), result.Count(v));
            }

            w.WriteEndObject();
            w.WriteStartArray("devices");
            foreach (var d in result.Devices)
            {
                WriteDevice(w, d);
            }

            w.WriteEndArray();
            w.WriteStartArray("diagnostics");
            foreach (var diagnostic in GateFindings.For(result))
            {
                WriteDiagnostic(w, diagnostic);
            }

            w.WriteEndArray();
            w.WriteEndObject();
        }

        return Encoding.UTF8.GetString(stream.ToArray()) + "\n";
    }

    private static void WriteDevice(Utf8JsonWriter w, DeviceResult d)
    {
        w.WriteStartObject();
        w.WriteString("name", d.Device);
        w.WriteString("verdict", ReportText.Verdict(d.Verdict));
        w.WriteNumberOrNull("budget_ms", ReportText.Round(d.BudgetMs));
        w.WriteNumberOrNull("warn_margin_ms", ReportText.Round(d.WarnMarginMs));
        w.WriteNumber("batch_size", d.BatchSize);
        WriteNullable(w, "confidence", d.Confidence);
        WriteNullable(w, "latency_ms", d.Estimate?.Ms);
        // No interval (no uncertainty model, no confidence): null bounds and the reason, never a zero-width range.
        var hasInterval = GateFindings.HasInterval(d);
        WriteNullable(w, "lower_ms", hasInterval ? d.Estimate?.LowerMs : null);
        WriteNullable(w, "upper_ms", hasInterval ? d.Estimate?.UpperMs : null);
        WriteNullable(w, "gated_ms", d.GatedMs);
        WriteNullable(w, "search_target_ms", d.SearchTargetMs);
        WriteNullable(w, "headroom_ms", d.HeadroomMs);
        w.WriteString("interval_method", ReportText.IntervalMethod(d.IntervalMethod));
        if (GateFindings.NoIntervalReason(d) is { } reason)
        {
            w.WriteString("no_interval_reason", reason);
        }
        else
        {
            w.WriteNull("no_interval_reason");
        }
        if (d.Arch is null)
        {
            w.WriteNull("arch");
        }
        else
        {
            // One line, as OFA writes archs: 45 numbers one per line would drown the report.
            w.WritePropertyName("arch");
            w.WriteRawValue(Spaces.ArchJson.Write(d.Arch));
        }

        // The key the console prints (docs/spaces.md), accepted back wherever an arch is.
        if (d.Arch is null)
        {
            w.WriteNull("arch_key");
        }
        else
        {
            w.WriteString("arch_key", d.Arch.CanonicalKey);
        }

        WriteNullable(w, "accuracy", d.Accuracy);
        if (d.AccuracySource is null)
        {
            w.WriteNull("accuracy_source");
        }
        else
        {
            w.WriteString("accuracy_source", d.AccuracySource);
        }

        w.WriteString("predictor", d.PredictorDescription);
        w.WriteStartArray("notes");
        foreach (var note in d.Notes)
        {
            w.WriteStringValue(note);
        }

        w.WriteEndArray();
        if (d.Measured is { } measured)
        {
            // Predicted and measured side by side: the prediction search used, the measurement the verdict used.
            var m = measured.Measurement;
            w.WriteStartObject("measured");
            w.WriteNumberOrNull("latency_ms", ReportText.Round(m.LatencyMs));
            w.WriteNumberOrNull("lower_ms", ReportText.Round(m.LowerMs));
            w.WriteNumberOrNull("upper_ms", ReportText.Round(m.UpperMs));
            w.WriteNumberOrNull("cpu_ms", ReportText.Round(m.CpuMs));
            w.WriteNumberOrNull("wall_ms", ReportText.Round(m.WallMs));
            w.WriteNumber("runs", m.Runs);
            w.WriteNumber("passes", m.Passes);
            w.WriteBoolean("unstable", m.Unstable);
            w.WriteBoolean("inconclusive", measured.Inconclusive);
            w.WriteString("runtime", measured.Runtime);
            w.WriteString("runtime_version", measured.RuntimeVersion);
            w.WriteNumber("threads", measured.Threads);
            w.WriteString("clock", measured.Clock);
            WriteNullable(w, "predicted_ms", measured.PredictedMs);
            var withInterval = measured.Predicted is not null && measured.PredictedMethod != Predictors.IntervalMethod.None;
            WriteNullable(w, "predicted_lower_ms", withInterval ? measured.Predicted!.Value.LowerMs : null);
            WriteNullable(w, "predicted_upper_ms", withInterval ? measured.Predicted!.Value.UpperMs : null);
            if (measured.PredictedBy is { } by)
            {
                w.WriteString("predicted_by", by);
            }
            else
            {
                w.WriteNull("predicted_by");
            }

            w.WriteEndObject();
        }
        else
        {
            // Absent values are null, never omitted (docs/reports.md): a device the gate predicted has no measurement.
            w.WriteNull("measured");
        }

        w.WriteNumberOrNull("seconds", ReportText.Round(d.Seconds));
        WriteLocation(w, "location", d.BudgetLocation ?? d.DeviceLocation);
        w.WriteEndObject();
    }

    private static void WriteDiagnostic(Utf8JsonWriter w, Diagnostic d)
    {
        w.WriteStartObject();
        w.WriteString("code", d.Code);
        w.WriteString("severity", d.Severity switch
        {
            DiagnosticSeverity.Error => "error",
            DiagnosticSeverity.Warning => "warning",
            _ => "info",
        });
        w.WriteString("message", d.Message);
        WriteLocation(w, "location", d.Location);
        w.WriteEndObject();
    }

    private static void WriteLocation(Utf8JsonWriter w, string name, SourceLocation? location)
    {
        if (location is null)
        {
            w.WriteNull(name);
            return;
        }

        w.WriteStartObject(name);
        w.WriteString("file", ReportText.PortablePath(location.File));
        w.WriteNumber("line", location.Line);
        w.WriteNumber("column", location.Column);
        w.WriteEndObject();
    }

    private static void WriteNullable(Utf8JsonWriter w, string name, double? value)
    {
        if (value is { } v && double.IsFinite(v))
        {
            w.WriteNumber(name, ReportText.Round(v));
        }
        else
        {
            w.WriteNull(name);
        }
    }
}
