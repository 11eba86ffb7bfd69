using System.Text.RegularExpressions;
using LatencyGate.Cli;
using Shouldly;
using Xunit;

namespace LatencyGate.Tests;

/// <summary>
/// The table a person sees at a terminal, rendered at 80 columns: nothing wider, device names and the
/// arch key whole, one verdict line, the gated figure named and valued as in the error message, no
/// zero-width interval, internals only with --verbose.
/// </summary>
public sealed partial class TerminalTableTests
{
    [Fact]
    public void The_over_budget_fleet_fits_80_columns_with_one_verdict_line_and_the_error_figure()
    {
        using var fleet = new TempFolder("examples/fleet");
        var (code, stdout, stderr) = RunAtTerminal("check", "--manifest", fleet.File("latency-gate.over-budget.yaml"), "--report-dir", fleet.File("out"));

        code.ShouldBe(1, stderr);
        var lines = stdout.Split('\n');
        lines.Where(l => l.Length > 80).ShouldBeEmpty(stdout);
        lines.Count(l => l.StartsWith("latency gate: ", StringComparison.Ordinal)).ShouldBe(1, stdout);
        lines.ShouldContain(l => l.StartsWith("latency gate: fail — 4 pass, 0 warn, 1 fail, 0 error", StringComparison.Ordinal), stdout);
        foreach (var device in new[] { "phone-big", "phone-mid", "edge-npu", "edge-gpu", "server-gpu" })
        {
            lines.ShouldContain(l => l.Contains("│ " + device + " ", StringComparison.Ordinal), $"{device} is broken across lines:\n{stdout}");
        }

        lines.ShouldContain("arch: r192-d23232-k35|553|53|553|53-e34|443|43|443|44", stdout);

        // The table's gated figure for phone-mid is the one the error message names "gated latency".
        var error = GatedInError().Match(stderr);
        error.Success.ShouldBeTrue(stderr);
        var row = lines.Single(l => l.Contains("│ phone-mid ", StringComparison.Ordinal));
        row.ShouldContain(error.Groups[1].Value + " ms");
        row.ShouldContain("fail");

        // Devices without an uncertainty model say so; no zero-width range is shown as an interval.
        lines.Single(l => l.Contains("│ phone-big ", StringComparison.Ordinal)).ShouldContain("no uncertainty model");
        stdout.ShouldNotContain("11.17–11.17");

        // Internals are for --verbose.
        stdout.ShouldNotContain("cached:");
        stdout.ShouldNotContain("half-width");
        stdout.ShouldContain("--verbose");
    }

    [Fact]
    public void Verbose_adds_how_each_predictor_was_built_still_within_80_columns()
    {
        using var fleet = new TempFolder("examples/fleet");
        var (code, stdout, stderr) = RunAtTerminal("check", "--manifest", fleet.File("latency-gate.yaml"), "--report-dir", fleet.File("out"), "--verbose");

        code.ShouldBe(0, stderr);
        stdout.Split('\n').Where(l => l.Length > 80).ShouldBeEmpty(stdout);
        stdout.ShouldContain("phone-mid: predictor ");
        stdout.ShouldContain("half-width");
        stdout.ShouldContain("latency gate: pass — 5 pass, 0 warn, 0 fail, 0 error");
    }

    [Fact]
    public void Piped_output_says_no_uncertainty_model_and_verbose_adds_the_notes()
    {
        using var fleet = new TempFolder("examples/fleet");
        var plain = CliRunner.Run("check", "--manifest", fleet.File("latency-gate.yaml"), "--report-dir", fleet.File("out"));
        var verbose = CliRunner.Run("check", "--manifest", fleet.File("latency-gate.yaml"), "--report-dir", fleet.File("out"), "--verbose");

        plain.ExitCode.ShouldBe(0, plain.Stderr);
        plain.Stdout.ShouldContain("PASS  phone-big: gated latency 11.17 ms (predicted; no uncertainty model, so no 90% interval), budget 14.00 ms");
        plain.Stdout.ShouldNotContain("half-width");
        verbose.Stdout.ShouldContain("half-width");
        verbose.Stdout.ShouldContain("phone-big: predictor ");
    }

    /// <summary>
    /// The table's title and the HTML and Markdown reports name the mode in words ("search per device"),
    /// not by the JSON report's machine name "search-per-device", which the JSON report keeps.
    /// </summary>
    [Fact]
    public void The_table_title_and_the_html_report_name_the_mode_in_words()
    {
        using var folder = new TempFolder();
        File.WriteAllText(folder.File("latency-gate.yaml"), """
            version: 1
            space: ofa-mbv3-w1.2
            accuracy: macs
            search:
              mode: per-device
              population: 10
              generations: 2
              seed: 1
            devices:
              - name: phone
                budget_ms: 25
                predictor:
                  lut: builtin:note10
            """);

        var (code, stdout, stderr) = RunAtTerminal("check", "--manifest", folder.File("latency-gate.yaml"), "--report-dir", folder.File("out"), "--format", "html,markdown,json");

        code.ShouldBe(0, stderr);
        stdout.ShouldContain("latency gate — ofa-mbv3-w1.2, search per device");
        var html = File.ReadAllText(folder.File("out/latency-gate.html"));
        html.ShouldContain("</code>, search per device");
        var markdown = File.ReadAllText(folder.File("out/latency-gate.md"));
        markdown.ShouldContain("` · search per device · 1 device");
        foreach (var shown in new[] { stdout, html, markdown })
        {
            shown.ShouldNotContain("search-per-device");
        }

        File.ReadAllText(folder.File("out/latency-gate.json")).ShouldContain("\"mode\": \"search-per-device\"");
    }

    private static (int ExitCode, string Stdout, string Stderr) RunAtTerminal(params string[] args)
    {
        using var stdout = new StringWriter { NewLine = "\n" };
        using var stderr = new StringWriter { NewLine = "\n" };
        var host = new HostContext(stdout, stderr, _ => null, interactive: true) { Width = 80, LiveProgress = false };
        var code = CliApp.Run(args, host);
        return (code, Ansi().Replace(stdout.ToString().Replace("\r", string.Empty, StringComparison.Ordinal), string.Empty), stderr.ToString());
    }

    [GeneratedRegex(@"error LG0500: device 'phone-mid': gated latency (\d+\.\d\d) ms")]
    private static partial Regex GatedInError();

    [GeneratedRegex(@"\x1b\[[0-9;?]*[A-Za-z]")]
    private static partial Regex Ansi();
}
