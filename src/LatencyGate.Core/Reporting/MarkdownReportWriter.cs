using System.Globalization;
using System.Text;
using LatencyGate.Gating;

namespace LatencyGate.Reporting;

/// <summary>A Markdown summary (the host may append it to $GITHUB_STEP_SUMMARY): one table row per device.</summary>
internal static class MarkdownReportWriter
{
    public static string Write(GateResult result)
    {
        var sb = new StringBuilder();
        sb.Append("## LatencyGate: ").Append(Badge(result.Overall)).Append('\n').Append('\n');
        sb.Append("Manifest ").Append(Code(ReportText.PortablePath(result.ManifestPath))).Append(" · space ").Append(Code(result.Space))
          .Append(" · ").Append(ReportText.ModeTitle(result.Mode)).Append(" · ")
          .Append(result.Devices.Count.ToString(CultureInfo.InvariantCulture)).Append(result.Devices.Count == 1 ? " device: " : " devices: ")
          .Append(string.Join(", ", new[] { Verdict.Pass, Verdict.Warn, Verdict.Fail, Verdict.Error, Verdict.Skipped }
              .Where(v => result.Count(v) > 0)
              .Select(v => result.Count(v).ToString(CultureInfo.InvariantCulture) + " " + ReportText.Verdict(v))))
          .Append('\n').Append('\n');

        // "Latency" (a measured device's is its measurement, not a prediction) and the gated figure the
        // headroom is taken from, named as every other output names it.
        sb.Append("| Device | Verdict | Latency (ms) | Interval (ms) | Gated (ms) | Budget (ms) | Headroom (ms) | Accuracy | Predictor |\n");
        sb.Append("|---|---|---:|---|---:|---:|---:|---:|---|\n");
        foreach (var d in result.Devices)
        {
            sb.Append("| ").Append(Cell(d.Device))
              .Append(" | ").Append(Badge(d.Verdict))
              .Append(" | ").Append(d.Estimate is { } e ? ReportText.Number(e.Ms) : "–")
              .Append(" | ").Append(Interval(d))
              .Append(" | ").Append(d.GatedMs is { } g ? ReportText.Number(g) : "–")
              .Append(" | ").Append(ReportText.Number(d.BudgetMs))
              .Append(" | ").Append(d.HeadroomMs is { } h ? ReportText.Number(h) : "–")
              .Append(" | ").Append(d.Accuracy is { } a ? (a * 100).ToString("0.00", CultureInfo.InvariantCulture) + "%" : "–")
              .Append(" | ").Append(Cell(d.PredictorDescription))
              .Append(" |\n");
        }

        var findings = GateFindings.For(result);
        if (findings.Count > 0)
        {
            sb.Append("\n### Findings\n\n");
            foreach (var f in findings)
            {
                sb.Append("- ").Append(f.Severity == Diagnostics.DiagnosticSeverity.Error ? "❌" : "⚠️").Append(" `").Append(f.Code).Append('`');
                if (f.Location is not null)
                {
                    sb.Append(' ').Append(Code(ReportText.PortablePath(f.Location.ToString())));
                }

                sb.Append(": ").Append(Text(f.Message)).Append('\n');
            }
        }

        var notes = result.Devices.Where(d => d.Notes.Count > 0).ToArray();
        if (notes.Length > 0)
        {
            sb.Append("\n### Notes\n\n");
            foreach (var d in notes)
            {
                foreach (var note in d.Notes)
                {
                    sb.Append("- **").Append(Text(d.Device)).Append("**: ").Append(Text(note)).Append('\n');
                }
            }
        }

        var archs = result.Devices.Where(d => d.Arch is not null).ToArray();
        if (archs.Length > 0)
        {
            sb.Append("\n<details><summary>Sub-networks (OFA arch JSON)</summary>\n\n");
            foreach (var d in archs)
            {
                sb.Append("- **").Append(Text(d.Device)).Append("**: ").Append(Code(Spaces.ArchJson.Write(d.Arch!))).Append('\n');
            }

            sb.Append("\n</details>\n");
        }

        return sb.ToString();
    }

    private static string Interval(DeviceResult d)
    {
        if (d.Estimate is not { } e || d.Confidence is not { } c)
        {
            return "–";
        }

        if (GateFindings.NoIntervalReason(d) is { } reason)
        {
            return reason;
        }

        if (d.Measured is not null)
        {
            return string.Create(CultureInfo.InvariantCulture, $"{e.LowerMs:0.00}–{e.UpperMs:0.00} (95%, measured)");
        }

        return string.Create(CultureInfo.InvariantCulture, $"{e.LowerMs:0.00}–{e.UpperMs:0.00} ({c * 100:0.#}%, {ReportText.IntervalMethod(d.IntervalMethod).Replace('_', ' ')})");
    }

    private static string Badge(Verdict verdict) => verdict switch
    {
        Verdict.Pass => "✅ pass",
        Verdict.Warn => "⚠️ warn",
        Verdict.Fail => "❌ fail",
        Verdict.Error => "💥 error",
        _ => "⏭️ skipped",
    };

    private static string Cell(string text) => Text(text).Replace("|", "\\|", StringComparison.Ordinal);

    /// <summary>
    /// Text that came from the user's input (a message quoting a value, a note, a path), made inert:
    /// GitHub renders the step summary's HTML and links, so a value such as <c>&lt;img src=…&gt;</c> or
    /// <c>[x](https://…)</c> in a manifest would otherwise draw an image or a link in the job's page.
    /// </summary>
    private static string Text(string text)
    {
        var sb = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            _ = c switch
            {
                '&' => sb.Append("&amp;"),
                '<' => sb.Append("&lt;"),
                '>' => sb.Append("&gt;"),
                '[' or ']' or '\\' or '`' => sb.Append('\\').Append(c),
                '\n' or '\r' => sb.Append(' '),
                _ => sb.Append(c),
            };
        }

        return sb.ToString();
    }

    /// <summary>A code span around any text: fenced by one more backtick than the longest run inside it.</summary>
    private static string Code(string text)
    {
        text = text.Replace('\n', ' ').Replace('\r', ' ');
        var longest = 0;
        for (int i = 0, run = 0; i < text.Length; i++)
        {
            run = text[i] == '`' ? run + 1 : 0;
            longest = Math.Max(longest, run);
        }

        var fence = new string('`', longest + 1);
        var pad = text.StartsWith('`') || text.EndsWith('`') ? " " : string.Empty;
        return fence + pad + text + pad + fence;
    }
}
