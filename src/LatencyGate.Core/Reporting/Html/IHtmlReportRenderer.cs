namespace LatencyGate.Reporting.Html;

/// <summary>
/// Turns the report model into one self-contained HTML file. The core has no plotting library (it
/// would bring SkiaSharp's native library into the MSBuild task); hosts that can draw pass one in.
/// </summary>
internal interface IHtmlReportRenderer
{
    byte[] Render(HtmlReportModel model);
}
