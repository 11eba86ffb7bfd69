using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using ScottPlot;

namespace LatencyGate.Reporting.Html;

/// <summary>
/// A plot as an inline SVG element: ScottPlot's SVG (drawn by Skia's SVG canvas), made fit to sit
/// with others in one page and to be read by assistive technology.
/// </summary>
internal static partial class SvgFigure
{
    /// <summary>The one font every figure uses; Skia measures text with it, so a fixed choice keeps the bytes fixed.</summary>
    public const string FontName = "DejaVu Sans";

    public static string Render(Plot plot, int width, int height, string id, string title, string description)
    {
        plot.Font.Set(FontName);
        // ScottPlot labels its ticks in the current culture: a host that is not culture-invariant
        // (the MSBuild task, under LANG=de_DE) would write "0,5" where the CLI writes "0.5".
        var culture = CultureInfo.CurrentCulture;
        string svg;
        try
        {
            CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
            svg = plot.GetSvgXml(width, height);
        }
        finally
        {
            CultureInfo.CurrentCulture = culture;
        }

        // Skia numbers clip paths with a process-wide counter: renumber them per figure so the same
        // input gives the same bytes whatever was drawn before, and ids stay unique within the page.
        var ids = new Dictionary<string, string>(StringComparer.Ordinal);
        svg = ClipId().Replace(svg, m =>
        {
            if (!ids.TryGetValue(m.Groups[1].Value, out var renamed))
            {
                renamed = string.Create(CultureInfo.InvariantCulture, $"{id}-clip{ids.Count + 1}");
                ids.Add(m.Groups[1].Value, renamed);
            }

            return renamed;
        });
        // Skia ends glyph position lists with ", ", which browsers reject as a malformed length list.
        svg = TrailingSeparator().Replace(svg, "$1\"");
        svg = XmlDeclaration().Replace(svg, string.Empty);
        var open = SvgOpen().Match(svg);
        var header = string.Create(
            CultureInfo.InvariantCulture,
            $"<svg xmlns=\"http://www.w3.org/2000/svg\" xmlns:xlink=\"http://www.w3.org/1999/xlink\" viewBox=\"0 0 {width} {height}\" role=\"img\" aria-labelledby=\"{id}-title {id}-desc\" id=\"{id}\" style=\"max-width:{width}px\">")
            + $"<title id=\"{id}-title\">{WebUtility.HtmlEncode(title)}</title><desc id=\"{id}-desc\">{WebUtility.HtmlEncode(description)}</desc>";
        return header + svg[(open.Index + open.Length)..].Trim() + "\n";
    }

    [GeneratedRegex(@"\bcl_([0-9a-f]+)\b")]
    private static partial Regex ClipId();

    [GeneratedRegex(@"( [xy]=""[^""]*?),\s*""")]
    private static partial Regex TrailingSeparator();

    [GeneratedRegex(@"<\?xml[^>]*\?>\s*")]
    private static partial Regex XmlDeclaration();

    [GeneratedRegex(@"<svg\b[^>]*>")]
    private static partial Regex SvgOpen();
}
