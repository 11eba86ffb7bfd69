namespace LatencyGate.Workflows;

/// <summary>What a host asks of the gate: everything the core needs, passed in (no environment reads, no clock).</summary>
/// <param name="ManifestPath">The manifest (<c>latency-gate.yaml</c>) to check.</param>
public sealed record CheckRequest(string ManifestPath)
{
    /// <summary>Folder for JSON/JUnit/Markdown/SARIF reports; null uses the manifest's <c>outputs.dir</c>.</summary>
    public string? ReportDirectory { get; init; }

    /// <summary>Folder for cached fitted/adapted predictors; null uses <c>.latency-gate/cache</c> beside the manifest.</summary>
    public string? CacheDirectory { get; init; }

    /// <summary>Upper bound on worker threads; results do not depend on it (0 or null: all cores).</summary>
    public int? MaxDegreeOfParallelism { get; init; }

    /// <summary>When set, only this device is checked.</summary>
    public string? DeviceName { get; init; }

    /// <summary>Version of the host tool, recorded in reports and in cache keys.</summary>
    public string ToolVersion { get; init; } = "0.0.0";

    /// <summary>When the run started, as the host's clock says (reports only; results never depend on it).</summary>
    public DateTimeOffset StartedAt { get; init; }

    /// <summary>Machine name for reports (JUnit's hostname).</summary>
    public string HostName { get; init; } = "localhost";

    /// <summary>When false, no report files are written (the outcome still carries the result).</summary>
    public bool WriteReports { get; init; } = true;

    /// <summary>Draws the HTML report; without one (the MSBuild task) an <c>html</c> format is skipped with LG0520.</summary>
    internal Reporting.Html.IHtmlReportRenderer? HtmlRenderer { get; init; }

    /// <summary>
    /// How devices with a <c>measure:</c> predictor are measured: in process (the CLI) or by the tool in
    /// another process (the MSBuild task with <c>LatencyGateMeasureCommand</c>); null reports them with LG0510.
    /// </summary>
    internal Measuring.IArchMeasurer? Measurer { get; init; }

    /// <summary>
    /// Resolves a manifest's training <c>engine:</c> (finetune, proxy) by name; null (the MSBuild task)
    /// means the managed engine only, and any other engine is LG0855.
    /// </summary>
    internal Func<string, Diagnostics.SourceLocation?, Adaptation.ITrainingEngine>? TrainingEngines { get; init; }

    /// <summary>Report formats to write instead of the manifest's <c>outputs.formats</c> (CLI <c>--format</c>).</summary>
    internal IReadOnlyList<Manifest.ReportFormat>? Formats { get; init; }
}
