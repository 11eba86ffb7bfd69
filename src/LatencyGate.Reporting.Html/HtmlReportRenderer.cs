using System.Globalization;
using System.Net;
using System.Text;

namespace LatencyGate.Reporting.Html;

/// <summary>
/// The HTML report: one self-contained file (inline CSS and SVG, no script, no network), the same
/// bytes for the same model. Every figure has a title and a text alternative, and the numbers it
/// draws are also in the device table.
/// </summary>
internal sealed class HtmlReportRenderer : IHtmlReportRenderer
{
    private const string Style = """
        body { font-family: "DejaVu Sans", Verdana, sans-serif; margin: 0 auto; max-width: 1000px; padding: 1rem; color: #1a1a1a; line-height: 1.4; }
        h1 { font-size: 1.5rem; } h2 { font-size: 1.2rem; margin-top: 2rem; border-bottom: 1px solid #ccc; } h3 { font-size: 1.05rem; }
        table { border-collapse: collapse; width: 100%; font-size: 0.9rem; }
        th, td { border: 1px solid #ccc; padding: 0.25rem 0.5rem; text-align: left; } td.num { text-align: right; font-variant-numeric: tabular-nums; }
        figure { margin: 1rem 0; } figure svg { width: 100%; height: auto; display: block; }
        figcaption { font-size: 0.85rem; color: #444; } .pair { display: flex; flex-wrap: wrap; gap: 1rem; } .pair figure { flex: 1 1 420px; }
        .verdict { font-weight: bold; padding: 0 0.4rem; border-radius: 3px; color: #fff; }
        .pass { background: #2C7FB8; } .warn { background: #B36B00; } .fail { background: #7A0177; } .error, .skipped { background: #555; }
        code { font-size: 0.85rem; overflow-wrap: anywhere; } ul.notes { font-size: 0.9rem; }
        """;

    public byte[] Render(HtmlReportModel model) => new UTF8Encoding(false).GetBytes(RenderText(model));

    public static string RenderText(HtmlReportModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var h = new StringBuilder();
        h.Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
            .Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
            .Append("<title>").Append(E(model.Title)).Append("</title>\n<style>\n").Append(Style).Append("</style>\n</head>\n<body>\n<main>\n");
        h.Append("<h1>").Append(E(model.Title)).Append("</h1>\n");
        h.Append("<p>Overall verdict: ").Append(Verdict(model.Verdict)).Append(". Manifest <code>").Append(E(model.Manifest))
            .Append("</code>, space <code>").Append(E(model.Space)).Append("</code>, ").Append(E(model.Mode));
        if (model.ToolVersion.Length > 0)
        {
            h.Append(", latency-gate ").Append(E(model.ToolVersion));
        }

        h.Append(".</p>\n");
        Table(h, model);
        if (model.Findings.Count > 0)
        {
            h.Append("<h2>Findings</h2>\n<ul class=\"notes\">\n");
            foreach (var f in model.Findings)
            {
                h.Append("<li><code>").Append(E(f)).Append("</code></li>\n");
            }

            h.Append("</ul>\n");
        }

        if (model.Fronts.Count == 0 && model.Devices.Count > 0)
        {
            h.Append("<h2>Fleet</h2>\n");
            Figure(h, "fleet", Figures.Fleet(model.Devices, "fig-fleet"), "Each bar is a device's gated latency (the upper bound of its interval when the device sets a confidence) as a percentage of its budget; the red line is the budget.");
        }

        var shipped = model.Fronts.Count == 0 ? SharedArch(model.Devices) : null;
        if (shipped is not null)
        {
            h.Append("<h2>Shipped sub-network</h2>\n");
            Figure(h, "arch", Figures.Arch(shipped, "fig-arch", "Shipped sub-network"), "<code>" + E(shipped.Key) + "</code>: one box per block; height is the expand ratio, colour the kernel size.");
        }

        for (var i = 0; i < model.Devices.Count; i++)
        {
            Device(h, model, model.Devices[i], i, shipped is null);
        }

        h.Append("</main>\n</body>\n</html>\n");
        return h.ToString();
    }

    /// <summary>
    /// Says what the interval figure draws, no more: a fixed caption promised a shaded warn band on a
    /// device without a warn margin (the quick start's) and an interval where there was none.
    /// </summary>
    private static string IntervalCaption(DeviceView d)
    {
        var predicted = d.Predicted switch
        {
            null => "No prediction",
            { Method: "none" } => d.Confidence is null
                ? "The predicted value (diamond; no interval: the device sets no confidence)"
                : "The predicted value (diamond; no interval: the predictor has no uncertainty model)",
            _ => "The predicted interval (bar) and point value (diamond)",
        };
        var measured = d.Measured is null ? string.Empty : " and the measured median with its interval (second bar)";
        var warn = d.WarnMarginMs > 0
            ? string.Create(CultureInfo.InvariantCulture, $"; the shaded band is the warn margin (the last {d.WarnMarginMs:0.##} ms before the budget)")
            : string.Empty;
        return E(predicted + measured + " against the budget (red line)" + warn + ".");
    }

    private static void Device(StringBuilder h, HtmlReportModel model, DeviceView d, int index, bool drawArch)
    {
        var id = string.Create(CultureInfo.InvariantCulture, $"fig-d{index + 1}");
        h.Append("<section class=\"device\" data-device=\"").Append(E(d.Name)).Append("\">\n<h2>").Append(E(d.Name)).Append(' ').Append(Verdict(d.Verdict)).Append("</h2>\n");
        h.Append("<p>Predictor: ").Append(E(d.Predictor)).Append(".</p>\n");
        var front = model.Fronts.FirstOrDefault(f => f.Device == d.Name);
        if (front is not null)
        {
            Figure(h, "front", Figures.Front(front, model.Objective ?? "accuracy", id + "-front"), "The sweep's non-dominated sub-networks; the orange point is the most accurate one whose gated latency is within the budget (red line).");
        }

        Figure(h, "interval", Figures.Device(d, id + "-interval"), IntervalCaption(d));
        if (drawArch && d.Arch is { } arch)
        {
            Figure(h, "arch", Figures.Arch(arch, id + "-arch", front is null ? "Gated sub-network" : "Chosen sub-network"), "<code>" + E(arch.Key) + "</code>: one box per block; height is the expand ratio, colour the kernel size.");
        }

        if (d.Quality is { Points.Count: > 0 } q)
        {
            h.Append("<div class=\"pair\">\n");
            Figure(h, "scatter", Figures.Scatter(d.Name, q, id + "-scatter"), "Held-out measurements: " + E(q.Description) + ".");
            if (q.Coverage.Count > 0)
            {
                Figure(h, "coverage", Figures.Coverage(d.Name, q, id + "-coverage"), "Share of held-out measurements inside the interval at each nominal level.");
            }

            h.Append("</div>\n");
        }

        if (d.Notes.Count > 0)
        {
            h.Append("<ul class=\"notes\">\n");
            foreach (var note in d.Notes)
            {
                h.Append("<li>").Append(E(note)).Append("</li>\n");
            }

            h.Append("</ul>\n");
        }

        h.Append("</section>\n");
    }

    private static void Table(StringBuilder h, HtmlReportModel model)
    {
        // The measured column only when a device is measured (manifest `measure:`): a column of dashes
        // under "measured" read as a measurement that failed.
        var anyMeasured = model.Devices.Any(d => d.Measured is not null);
        h.Append("<table>\n<caption>Per device: budget, prediction and verdict (ms for one batch)</caption>\n<thead><tr><th scope=\"col\">device</th><th scope=\"col\">verdict</th><th scope=\"col\">budget</th><th scope=\"col\">predicted</th><th scope=\"col\">interval</th><th scope=\"col\">gated</th>")
            .Append(anyMeasured ? "<th scope=\"col\">measured (95% interval)</th>" : string.Empty)
            .Append("<th scope=\"col\">accuracy</th></tr></thead>\n<tbody>\n");
        foreach (var d in model.Devices)
        {
            h.Append("<tr><th scope=\"row\">").Append(E(d.Name)).Append("</th><td>").Append(Verdict(d.Verdict)).Append("</td>")
                .Append(Num(d.BudgetMs)).Append(Num(d.Predicted?.Ms))
                .Append("<td class=\"num\">").Append(IntervalCell(d)).Append("</td>")
                .Append(Num(d.GatedMs));
            if (anyMeasured)
            {
                h.Append("<td class=\"num\">").Append(d.Measured is { } m ? Invariant($"{m.Ms:0.00} ({m.LowerMs:0.00}–{m.UpperMs:0.00})") : "—").Append("</td>");
            }

            h.Append("<td class=\"num\">").Append(d.Accuracy is { } a ? Invariant($"{a:0.0000}") : "—").Append("</td></tr>\n");
        }

        h.Append("</tbody>\n</table>\n");
    }

    /// <summary>The predicted interval, or why there is none: a zero-width range is never shown as an interval.</summary>
    private static string IntervalCell(DeviceView d) => d.Predicted switch
    {
        null => "—",
        { Method: "none" } => d.Confidence is null ? "no confidence set" : "no uncertainty model",
        { } p => Invariant($"{p.LowerMs:0.00}–{p.UpperMs:0.00} ({p.Method}{(d.Confidence is { } c ? Invariant($", {c * 100:0.##}%") : string.Empty)})"),
    };

    /// <summary>In check mode every device gates the same arch: draw it once.</summary>
    private static ArchView? SharedArch(IReadOnlyList<DeviceView> devices)
    {
        var archs = devices.Where(d => d.Arch is not null).Select(d => d.Arch!).ToArray();
        return archs.Length > 0 && archs.All(a => a.Key == archs[0].Key) ? archs[0] : null;
    }

    private static void Figure(StringBuilder h, string kind, string svg, string caption) =>
        h.Append("<figure data-figure=\"").Append(kind).Append("\">\n").Append(svg).Append("<figcaption>").Append(caption).Append("</figcaption>\n</figure>\n");

    private static string Verdict(string verdict) => "<span class=\"verdict " + E(verdict) + "\">" + E(verdict.ToUpperInvariant()) + "</span>";

    private static string Num(double? value) => "<td class=\"num\">" + (value is { } v ? Invariant($"{v:0.00}") : "—") + "</td>";

    private static string Invariant(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);

    private static string E(string text) => WebUtility.HtmlEncode(text);
}
