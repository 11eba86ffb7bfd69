using System.CommandLine;
using System.Globalization;
using LatencyGate.Diagnostics;
using LatencyGate.Search;
using LatencyGate.Workflows;

namespace LatencyGate.Cli.Commands;

/// <summary><c>search --manifest FILE [--device NAME] [--out DIR] [--sweep MIN:MAX:STEPS]</c>: the search part alone.</summary>
internal static class SearchCommand
{
    public static Command Create(HostContext host)
    {
        var manifest = new Option<string>("--manifest", "-m") { Description = "The manifest.", DefaultValueFactory = _ => "latency-gate.yaml" };
        var device = new Option<string?>("--device") { Description = "Search only for this device." };
        var output = new Option<string?>("--out") { Description = "Folder for search.json, archs.json, <device>.arch.json and the Pareto front with report.html (default: search under the manifest's outputs.dir)." };
        var sweep = new Option<string?>("--sweep") { Description = "Budgets MIN:MAX:STEPS (ms) for an accuracy/latency Pareto front per device, e.g. 15:40:6; also writes report.html." };
        var cacheDir = new Option<string?>("--cache-dir") { Description = "Cache of fitted and adapted predictors (default: .latency-gate/cache beside the manifest)." };
        var threads = new Option<int>("--threads") { Description = "Worker threads (0: all cores); results do not depend on it.", DefaultValueFactory = _ => 0 };
        var json = new Option<bool>("--json") { Description = "Print one JSON object on stdout: search.json with the files written, or {verdict: error, diagnostics}." };
        var command = new Command("search", "Run OFA's evolutionary search for every device's budget and write the chosen archs.") { manifest, device, output, sweep, cacheDir, threads, json };
        command.SetAction((parse, cancellationToken) =>
        {
            var manifestPath = parse.GetValue(manifest)!;
            var request = new CheckRequest(manifestPath)
            {
                DeviceName = parse.GetValue(device),
                CacheDirectory = parse.GetValue(cacheDir),
                MaxDegreeOfParallelism = CommandParsing.Threads(parse.GetValue(threads)),
                ToolVersion = CheckCommand.ToolVersion,
                StartedAt = DateTimeOffset.UtcNow,
                HostName = Environment.MachineName,
                HtmlRenderer = new Reporting.Html.HtmlReportRenderer(),
                TrainingEngines = TorchHost.Engine,
            };
            // Without --out: the manifest's outputs.dir (default latency-gate-reports beside it), subfolder search.
            var outDir = parse.GetValue(output);
            var range = ParseSweep(parse.GetValue(sweep));
            var outcome = ProgressDisplay.Run(host, "search", progress => SearchCommandRunner.Run(request, outDir, range, progress, cancellationToken));
            if (parse.GetValue(json))
            {
                host.Stdout.WriteLine(outcome.Result is { } result
                    ? JsonOutput.Write(w =>
                    {
                        w.WriteNumber("exit_code", (int)outcome.ExitCode);
                        JsonOutput.WriteRaw(w, "search", LatencyGate.Reporting.SearchResultWriter.ToJson(result));
                        w.WriteStartArray("files");
                        foreach (var file in outcome.Files)
                        {
                            w.WriteStringValue(file);
                        }

                        w.WriteEndArray();
                        JsonOutput.WriteDiagnostics(w, outcome.Diagnostics);
                    })
                    : JsonOutput.Failure(outcome.ExitCode, outcome.Diagnostics));
            }
            else
            {
                foreach (var line in outcome.SummaryLines)
                {
                    host.Stdout.WriteLine(line);
                }

                foreach (var file in outcome.Files)
                {
                    host.Stdout.WriteLine($"wrote {EchoText.OneLine(file)}");
                }
            }

            ConsoleReport.WriteDiagnostics(host.Stderr, outcome.Diagnostics);
            return Task.FromResult((int)outcome.ExitCode);
        });
        return command;
    }

    private static SweepRange? ParseSweep(string? text)
    {
        if (text is null)
        {
            return null;
        }

        var parts = text.Split(':');
        if (parts.Length == 3
            && double.TryParse(parts[0], NumberStyles.Float, CultureInfo.InvariantCulture, out var min)
            && double.TryParse(parts[1], NumberStyles.Float, CultureInfo.InvariantCulture, out var max)
            && int.TryParse(parts[2], NumberStyles.Integer, CultureInfo.InvariantCulture, out var steps)
            && double.IsFinite(min) && double.IsFinite(max)
            && min > 0 && max >= min && max <= LatencyGate.Measurements.MeasurementsCsv.MaxLatencyMs && steps is >= 1 and <= 200)
        {
            return new SweepRange(min, max, steps);
        }

        throw new LatencyGateException(CliCodes.BadSweep, $"--sweep '{EchoText.Cut(text)}' is not MIN:MAX:STEPS with 0 < MIN ≤ MAX ≤ 1e9 (ms) and 1 ≤ STEPS ≤ 200, e.g. 15:40:6");
    }
}
