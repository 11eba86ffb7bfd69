namespace LatencyGate.Reporting;

/// <summary>Diagnostic codes of the HTML and benchmark reports (LG0520–LG0539), documented in docs/diagnostics.md.</summary>
internal static class ReportErrors
{
    /// <summary>The manifest asks for an HTML report but the host has no renderer (the MSBuild task).</summary>
    public const string HtmlNotAvailable = "LG0520";

    /// <summary>A <c>--format</c> value that names no report format.</summary>
    public const string UnknownFormat = "LG0521";
}
