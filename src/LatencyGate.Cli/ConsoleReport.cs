using LatencyGate.Diagnostics;
using LatencyGate.Gating;
using LatencyGate.Reporting;
using Spectre.Console;

namespace LatencyGate.Cli;

/// <summary>
/// How a gate outcome reaches people and CI: a table (terminal) or plain lines (CI, pipes) on stdout,
/// diagnostics in the canonical <c>FILE(LINE,COL): error LGnnnn: …</c> form on stderr, GitHub
/// annotations and the step summary when running in GitHub Actions.
/// </summary>
internal static class ConsoleReport
{
    /// <param name="verbose">Also print how each predictor was built (its notes: strategy, cache entries, interval calibration).</param>
    public static void Write(HostContext host, CheckOutcome outcome, bool verbose = false)
    {
        if (outcome.Result is { } result && host.Interactive)
        {
            WriteTable(host, result, verbose);
        }
        else
        {
            foreach (var line in outcome.SummaryLines)
            {
                host.Stdout.WriteLine(line);
            }

            if (verbose && outcome.Result is { } plain)
            {
                foreach (var d in plain.Devices)
                {
                    host.Stdout.WriteLine($"{d.Device}: predictor {d.PredictorDescription}");
                    foreach (var note in d.Notes)
                    {
                        host.Stdout.WriteLine($"{d.Device}: {note}");
                    }
                }
            }
        }

        WriteDiagnostics(host.Stderr, outcome.Diagnostics);

        foreach (var file in outcome.ReportFiles)
        {
            host.Stdout.WriteLine($"report: {EchoText.OneLine(file)}");
        }

        if (host.InGitHubActions)
        {
            host.Stdout.Write(GitHubAnnotationWriter.Write(outcome.Diagnostics, host.Env("GITHUB_WORKSPACE")));
        }

        if (outcome.Result is { } written && host.Env("GITHUB_STEP_SUMMARY") is { Length: > 0 } summaryPath)
        {
            AppendStepSummary(host, summaryPath, MarkdownReportWriter.Write(written));
        }
    }

    /// <summary>
    /// <c>check --json</c>: stdout holds only the JSON report (the same as latency-gate.json), or the
    /// diagnostics when no result exists; diagnostics also go to stderr, and the step summary is still
    /// appended, but no annotations are printed (they would break the JSON).
    /// </summary>
    public static void WriteJson(HostContext host, CheckOutcome outcome)
    {
        host.Stdout.WriteLine(outcome.Result is { } result
            ? JsonReportWriter.Write(result)
            : JsonOutput.Failure(outcome.ExitCode, outcome.Diagnostics));
        WriteDiagnostics(host.Stderr, outcome.Diagnostics);

        if (outcome.Result is { } written && host.Env("GITHUB_STEP_SUMMARY") is { Length: > 0 } summaryPath)
        {
            AppendStepSummary(host, summaryPath, MarkdownReportWriter.Write(written));
        }
    }

    /// <summary>Diagnostics shown on the console before the rest are only counted (reports and --json hold all).</summary>
    public const int MaxConsoleDiagnostics = 200;

    /// <summary>
    /// Prints the diagnostics, the first <see cref="MaxConsoleDiagnostics"/> of them: a manifest of a
    /// thousand broken devices would otherwise print hundreds of KB; the reports and --json list every one.
    /// </summary>
    public static void WriteDiagnostics(TextWriter stderr, IReadOnlyList<Diagnostic> diagnostics)
    {
        foreach (var diagnostic in diagnostics.Take(MaxConsoleDiagnostics))
        {
            stderr.WriteLine(diagnostic.ToString());
        }

        if (diagnostics.Count > MaxConsoleDiagnostics)
        {
            var rest = diagnostics.Skip(MaxConsoleDiagnostics).ToList();
            stderr.WriteLine(string.Create(
                System.Globalization.CultureInfo.InvariantCulture,
                $"… and {rest.Count} more ({rest.Count(d => d.Severity == DiagnosticSeverity.Error)} errors) not shown here; the JSON and SARIF reports and --json list every one"));
        }
    }

    private static void AppendStepSummary(HostContext host, string path, string markdown)
    {
        if (Files.BoundedFile.IsSpecial(path))
        {
            host.Stderr.WriteLine(Diagnostic.Warning(CliCodes.StepSummaryUnwritable, "could not append to GITHUB_STEP_SUMMARY: it is a folder, FIFO, socket or terminal, not a file", new SourceLocation(path)).ToString());
            return;
        }

        try
        {
            File.AppendAllText(path, markdown + Environment.NewLine);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            host.Stderr.WriteLine(Diagnostic.Warning(CliCodes.StepSummaryUnwritable, $"could not append to GITHUB_STEP_SUMMARY: {ex.Message}", new SourceLocation(path)).ToString());
        }
    }

    /// <summary>
    /// The terminal table, made to fit 80 columns: one row per device with the gated latency (the
    /// figure compared with the budget, named as in the error messages), the interval or why there is
    /// none; the arch keys below it, whole; then the one verdict line the plain output also ends with.
    /// </summary>
    internal static void WriteTable(HostContext host, GateResult result, bool verbose)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(host.Stdout) });
        if (host.Width is { } width)
        {
            console.Profile.Width = width;
        }

        var withAccuracy = result.Devices.Any(d => d.Accuracy is not null);
        var table = new Table { Border = TableBorder.Rounded, Expand = false }
            .Title($"latency gate — {Markup.Escape(result.Space)}, {Markup.Escape(ReportText.ModeTitle(result.Mode))}");
        table.AddColumn(new TableColumn("device").NoWrap());
        table.AddColumn(new TableColumn("verdict").NoWrap());
        table.AddColumn(new TableColumn("gated latency").RightAligned());
        table.AddColumn(new TableColumn("budget").RightAligned().NoWrap());
        table.AddColumn(new TableColumn("interval (ms)"));
        if (withAccuracy)
        {
            table.AddColumn(new TableColumn("accuracy").RightAligned().NoWrap());
        }

        foreach (var d in result.Devices)
        {
            var colour = d.Verdict switch
            {
                Verdict.Pass => "green",
                Verdict.Warn => "yellow",
                Verdict.Skipped => "grey",
                _ => "red",
            };
            var cells = new List<string>
            {
                Markup.Escape(d.Device),
                $"[{colour}]{ReportText.Verdict(d.Verdict)}[/]",
                d.GatedMs is { } g ? $"{ReportText.Number(g)} ms" : "—",
                $"{ReportText.Number(d.BudgetMs)} ms",
                Markup.Escape(ReportText.IntervalCell(d)),
            };
            if (withAccuracy)
            {
                cells.Add(d.Accuracy is { } a ? ReportText.Number(a, "0.0000") : "—");
            }

            table.AddRow([.. cells]);
        }

        console.Write(table);
        console.MarkupLine("[grey]gated latency = the interval's upper end, or the prediction where there is none[/]");
        WriteArchs(console, result);
        foreach (var d in result.Devices)
        {
            if (ReportText.SearchAim(d) is { } aim)
            {
                console.WriteLine($"{d.Device}: {aim}");
            }
        }

        if (verbose)
        {
            foreach (var d in result.Devices)
            {
                console.MarkupLine($"[grey]{Markup.Escape(d.Device)}: predictor {Markup.Escape(d.PredictorDescription)}[/]");
                if (GateFindings.HasInterval(d))
                {
                    console.MarkupLine($"[grey]{Markup.Escape(d.Device)}: {Markup.Escape(GateFindings.DescribeLatency(d))}[/]");
                }

                foreach (var note in d.Notes)
                {
                    console.MarkupLine($"[grey]{Markup.Escape(d.Device)}: {Markup.Escape(note)}[/]");
                }
            }
        }
        else if (result.Devices.Any(d => d.Notes.Count > 0))
        {
            console.MarkupLine("[grey]--verbose shows how each predictor was built.[/]");
        }

        console.MarkupLine(Markup.Escape(ReportText.OverallLine(result)));
    }

    /// <summary>
    /// The gated archs, whole (a key wrapped in a table cell is unreadable): one line when every
    /// device gates the same one, else one per device, the key on its own line when both do not fit.
    /// </summary>
    private static void WriteArchs(IAnsiConsole console, GateResult result)
    {
        var archs = result.Devices.Where(d => d.Arch is not null).ToArray();
        if (archs.Length == 0)
        {
            return;
        }

        if (archs.All(d => d.Arch!.CanonicalKey == archs[0].Arch!.CanonicalKey))
        {
            console.WriteLine($"arch: {archs[0].Arch!.CanonicalKey}");
        }
        else
        {
            console.WriteLine("archs:");
            var nameWidth = archs.Max(d => d.Device.Length);
            foreach (var d in archs)
            {
                var key = d.Arch!.CanonicalKey;
                if (2 + nameWidth + 2 + key.Length <= console.Profile.Width)
                {
                    console.WriteLine($"  {d.Device.PadRight(nameWidth)}  {key}");
                }
                else
                {
                    console.WriteLine($"  {d.Device}:");
                    console.WriteLine($"    {key}");
                }
            }
        }

        console.MarkupLine("[grey]arch key: resolution, depths, kernels, expand ratios (docs/spaces.md)[/]");
    }
}
