using System.CommandLine;
using System.Reflection;
using LatencyGate.Diagnostics;
using LatencyGate.Manifest;
using LatencyGate.Measuring;
using LatencyGate.Reporting.Html;
using LatencyGate.Workflows;

namespace LatencyGate.Cli.Commands;

/// <summary>
/// <c>check [--manifest FILE] [--report-dir DIR]</c>: the gate. Exit 0 when every budget is met,
/// 1 when one is broken or nothing fits, 2 for bad input, 3 for an internal error.
/// </summary>
internal static class CheckCommand
{
    public static Command Create(HostContext host)
    {
        var manifest = new Option<string>("--manifest", "-m") { Description = "The manifest (default: latency-gate.yaml in the current folder).", DefaultValueFactory = _ => "latency-gate.yaml" };
        var reportDir = new Option<string?>("--report-dir") { Description = "Folder for the reports, in the formats of the manifest's outputs.formats or --format (default: the manifest's outputs.dir, latency-gate-reports beside it unless it says otherwise)." };
        var device = new Option<string?>("--device") { Description = "Check only this device." };
        var cacheDir = new Option<string?>("--cache-dir") { Description = "Cache of fitted and adapted predictors (default: .latency-gate/cache beside the manifest)." };
        var threads = new Option<int>("--threads") { Description = "Worker threads (0: all cores); results do not depend on it.", DefaultValueFactory = _ => 0 };
        var format = new Option<string[]>("--format") { Description = "Report formats to write instead of the manifest's outputs.formats: json, junit, markdown, sarif, html, github-benchmark (repeat or comma-separate).", AllowMultipleArgumentsPerToken = false };
        var json = new Option<bool>("--json") { Description = "Print one JSON object on stdout: the JSON report (docs/reports.md), or {verdict: error, diagnostics} when the inputs are bad." };
        var verbose = new Option<bool>("--verbose", "-v") { Description = "Also print how each predictor was built: strategy chosen, cache entries, interval calibration." };
        var command = new Command("check", "Gate: predict (or search) every device's latency and fail when a budget is broken.") { manifest, reportDir, device, cacheDir, threads, format, json, verbose };
        command.SetAction((parse, cancellationToken) =>
        {
            var request = new CheckRequest(parse.GetValue(manifest)!)
            {
                ReportDirectory = parse.GetValue(reportDir),
                DeviceName = parse.GetValue(device),
                CacheDirectory = parse.GetValue(cacheDir),
                MaxDegreeOfParallelism = CommandParsing.Threads(parse.GetValue(threads)),
                ToolVersion = ToolVersion,
                StartedAt = DateTimeOffset.UtcNow,
                HostName = Environment.MachineName,
                HtmlRenderer = new HtmlReportRenderer(),
                Measurer = new InProcessMeasurer(MeasuringRuntimes.Create()),
                TrainingEngines = TorchHost.Engine,
                Formats = ParseFormats(parse.GetValue(format)),
            };
            var outcome = ProgressDisplay.Run(host, "latency gate", progress => GateRunner.Check(request, progress, cancellationToken));
            if (parse.GetValue(json))
            {
                ConsoleReport.WriteJson(host, outcome);
            }
            else
            {
                ConsoleReport.Write(host, outcome, parse.GetValue(verbose));
            }

            return Task.FromResult((int)outcome.ExitCode);
        });
        return command;
    }

    /// <summary>The <c>--format</c> values (null when none was given: the manifest decides).</summary>
    private static IReadOnlyList<ReportFormat>? ParseFormats(string[]? values)
    {
        if (values is null || values.Length == 0)
        {
            return null;
        }

        var formats = new List<ReportFormat>();
        foreach (var name in values.SelectMany(v => v.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)))
        {
            if (!ReportFormats.TryParse(name, out var f))
            {
                throw new LatencyGateException(
                    ReportErrors.UnknownFormat,
                    $"--format '{EchoText.Cut(name)}' is not a report format{DidYouMean.Hint(name, Enum.GetValues<ReportFormat>().Select(ReportFormats.Name).ToArray())}; expected one of {string.Join(", ", Enum.GetValues<ReportFormat>().Select(ReportFormats.Name))}");
            }

            if (!formats.Contains(f))
            {
                formats.Add(f);
            }
        }

        // `--format "$FORMATS"` with the variable empty wrote no report at all and said nothing.
        if (formats.Count == 0)
        {
            throw new LatencyGateException(
                ReportErrors.UnknownFormat,
                $"--format '{EchoText.Cut(string.Join(' ', values))}' names no report format; expected one or more of {string.Join(", ", Enum.GetValues<ReportFormat>().Select(ReportFormats.Name))} (leave --format out for the manifest's formats)");
        }

        return formats;
    }

    public static string ToolVersion { get; } =
        typeof(CheckCommand).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0.0.0";
}
