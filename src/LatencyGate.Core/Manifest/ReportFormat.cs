namespace LatencyGate.Manifest;

/// <summary>Report files the gate can write; the console and GitHub annotations are the host's business.</summary>
internal enum ReportFormat
{
    Json,
    JUnit,
    Markdown,
    Sarif,
}

internal static class ReportFormats
{
    public static string Name(ReportFormat format) => format switch
    {
        ReportFormat.Json => "json",
        ReportFormat.JUnit => "junit",
        ReportFormat.Markdown => "markdown",
        _ => "sarif",
    };

    /// <summary>The file name the format is written to inside the report folder.</summary>
    public static string FileName(ReportFormat format) => format switch
    {
        ReportFormat.Json => "latency-gate.json",
        ReportFormat.JUnit => "latency-gate.junit.xml",
        ReportFormat.Markdown => "latency-gate.md",
        _ => "latency-gate.sarif",
    };

    public static bool TryParse(string name, out ReportFormat format)
    {
        foreach (var f in Enum.GetValues<ReportFormat>())
        {
            if (string.Equals(Name(f), name, StringComparison.OrdinalIgnoreCase))
            {
                format = f;
                return true;
            }
        }

        format = ReportFormat.Json;
        return false;
    }
}
