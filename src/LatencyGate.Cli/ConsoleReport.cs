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
    public static void Write(HostContext host, CheckOutcome outcome)
    {
        if (outcome.Result is { } result && host.Interactive)
        {
            WriteTable(host, result);
        }
        else
        {
            foreach (var line in outcome.SummaryLines)
            {
                host.Stdout.WriteLine(line);
            }
        }

        foreach (var diagnostic in outcome.Diagnostics)
        {
            host.Stderr.WriteLine(diagnostic.ToString());
        }

        foreach (var file in outcome.ReportFiles)
        {
            host.Stdout.WriteLine($"report: {file}");
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
        foreach (var diagnostic in outcome.Diagnostics)
        {
            host.Stderr.WriteLine(diagnostic.ToString());
        }

        if (outcome.Result is { } written && host.Env("GITHUB_STEP_SUMMARY") is { Length: > 0 } summaryPath)
        {
            AppendStepSummary(host, summaryPath, MarkdownReportWriter.Write(written));
        }
    }

    private static void AppendStepSummary(HostContext host, string path, string markdown)
    {
        try
        {
            File.AppendAllText(path, markdown + Environment.NewLine);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            host.Stderr.WriteLine(Diagnostic.Warning(CliCodes.StepSummaryUnwritable, $"could not append to GITHUB_STEP_SUMMARY: {ex.Message}", new SourceLocation(path)).ToString());
        }
    }

    private static void WriteTable(HostContext host, GateResult result)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(host.Stdout) });
        var table = new Table().Title($"latency gate — {Markup.Escape(result.Space)}, {Markup.Escape(ReportText.Mode(result.Mode))}");
        table.AddColumns("device", "verdict", "predicted (gated)", "interval", "budget", "accuracy", "arch");
        foreach (var d in result.Devices)
        {
            var colour = d.Verdict switch
            {
                Verdict.Pass => "green",
                Verdict.Warn => "yellow",
                Verdict.Skipped => "grey",
                _ => "red",
            };
            var interval = d.Estimate is { } e && d.Confidence is { } c
                ? $"{ReportText.Number(e.LowerMs)}–{ReportText.Number(e.UpperMs)} ms @ {c:P0}"
                : "—";
            table.AddRow(
                Markup.Escape(d.Device),
                $"[{colour}]{ReportText.Verdict(d.Verdict)}[/]",
                d.GatedMs is { } g ? $"{ReportText.Number(g)} ms" : "—",
                Markup.Escape(interval),
                $"{ReportText.Number(d.BudgetMs)} ms",
                d.Accuracy is { } a ? ReportText.Number(a, "0.0000") : "—",
                Markup.Escape(d.Arch?.CanonicalKey ?? "—"));
        }

        console.Write(table);
        foreach (var d in result.Devices.Where(d => d.Notes.Count > 0))
        {
            foreach (var note in d.Notes)
            {
                console.MarkupLine($"[grey]{Markup.Escape(d.Device)}: {Markup.Escape(note)}[/]");
            }
        }
    }
}
