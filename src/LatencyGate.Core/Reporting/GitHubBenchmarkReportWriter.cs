using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using LatencyGate.Gating;

namespace LatencyGate.Reporting;

/// <summary>
/// The JSON that github-action-benchmark reads with <c>tool: customSmallerIsBetter</c>: an array of
/// <c>{name, unit, value, range, extra}</c>, one entry per evaluated device, so a repository can chart
/// each device's latency over commits and alert on a regression with that action.
/// </summary>
internal static class GitHubBenchmarkReportWriter
{
    public static string Write(GateResult result)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            w.WriteStartArray();
            foreach (var d in result.Devices)
            {
                // A device without a prediction (error, nothing fits) has no point to chart.
                if (d.Estimate is not { } e)
                {
                    continue;
                }

                w.WriteStartObject();
                // The batch is part of the name: a batch-32 figure is not comparable with a batch-1 one.
                w.WriteString("name", d.BatchSize == 1 ? $"{d.Device} latency" : string.Create(CultureInfo.InvariantCulture, $"{d.Device} latency (batch {d.BatchSize})"));
                w.WriteString("unit", "ms");
                // The gated value: what the budget is compared with, so the chart's alert and the gate agree.
                w.WriteNumber("value", ReportText.Round(d.GatedMs ?? e.Ms));
                if (d.IntervalMethod != Predictors.IntervalMethod.None)
                {
                    w.WriteString("range", string.Create(CultureInfo.InvariantCulture, $"{e.LowerMs:0.####}–{e.UpperMs:0.####}"));
                }

                w.WriteString("extra", Extra(d, e));
                w.WriteEndObject();
            }

            w.WriteEndArray();
        }

        return Encoding.UTF8.GetString(stream.ToArray()) + "\n";
    }

    private static string Extra(DeviceResult d, Predictors.LatencyEstimate e)
    {
        var gated = d.Confidence is { } c
            ? string.Create(CultureInfo.InvariantCulture, $"upper bound of the {c * 100:0.##}% interval ({ReportText.IntervalMethod(d.IntervalMethod)})")
            : "point prediction";
        var arch = d.Arch is { } a ? "; arch " + a.CanonicalKey : string.Empty;
        return string.Create(CultureInfo.InvariantCulture, $"verdict {ReportText.Verdict(d.Verdict)}; budget {d.BudgetMs:0.####} ms; value is the {gated}; prediction {e.Ms:0.####} ms{arch}");
    }
}
