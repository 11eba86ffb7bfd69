namespace LatencyGate.Reporting;

/// <summary>Report files the gate can write; the console and GitHub annotations are the host's business.</summary>
internal enum ReportFormat
{
    Json,
    JUnit,
    Markdown,
    Sarif,

    /// <summary>One self-contained HTML page with plots, rendered by a host that has a renderer (the CLI).</summary>
    Html,

    /// <summary>github-action-benchmark's <c>customSmallerIsBetter</c> JSON: one entry per device.</summary>
    GitHubBenchmark,
}

internal static class ReportFormats
{
    /// <summary>What a manifest without <c>outputs.formats</c> writes: the text reports, cheap in every host.</summary>
    public static IReadOnlyList<ReportFormat> Defaults { get; } = [ReportFormat.Json, ReportFormat.JUnit, ReportFormat.Markdown, ReportFormat.Sarif];

    public static string Name(ReportFormat format) => format switch
    {
        ReportFormat.Json => "json",
        ReportFormat.JUnit => "junit",
        ReportFormat.Markdown => "markdown",
        ReportFormat.Html => "html",
        ReportFormat.GitHubBenchmark => "github-benchmark",
        _ => "sarif",
    };

    /// <summary>The file name the format is written to inside the report folder.</summary>
    public static string FileName(ReportFormat format) => format switch
    {
        ReportFormat.Json => "latency-gate.json",
        ReportFormat.JUnit => "latency-gate.junit.xml",
        ReportFormat.Markdown => "latency-gate.md",
        ReportFormat.Html => "latency-gate.html",
        ReportFormat.GitHubBenchmark => "latency-gate.benchmark.json",
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
