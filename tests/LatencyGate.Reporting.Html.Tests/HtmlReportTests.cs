using System.Text.Json;
using System.Text.RegularExpressions;
using LatencyGate.Workflows;
using Shouldly;
using Xunit;

namespace LatencyGate.Tests;

/// <summary>The HTML and github-benchmark reports as files: bytes, size, what each figure draws.</summary>
public sealed partial class HtmlReportTests
{
    [Fact]
    public void The_fleet_report_is_the_same_bytes_across_runs_and_under_1_MB()
    {
        var fleet = Reports.Fleet;

        fleet.SecondBytes.ShouldBe(fleet.FirstBytes);
        fleet.FirstBytes.Length.ShouldBeLessThan(1_000_000);
        fleet.Stdout.ShouldContain("latency-gate.html");
    }

    /// <summary>
    /// Findings name the manifest as the page's header does, relative to the page: the test passes an
    /// absolute path in a temporary folder, which the committed screenshot showed.
    /// </summary>
    [Fact]
    public void The_fleet_report_names_the_manifest_of_its_findings_relative_to_the_page()
    {
        var html = File.ReadAllText(Reports.Fleet.Html);

        html.ShouldContain("Manifest <code>../fleet/latency-gate.yaml</code>");
        var findings = Regex.Matches(html, "<li><code>([^<]*)</code></li>").Select(m => m.Groups[1].Value).ToArray();
        findings.Length.ShouldBe(3);
        findings.ShouldAllBe(f => f.StartsWith("../fleet/latency-gate.yaml(15,15): warning LG0060: ", StringComparison.Ordinal));
        html.ShouldNotContain(Path.GetTempPath());
    }

    /// <summary>
    /// A report folder that shares only the root with the manifest (check --report-dir /tmp/r on a
    /// repository elsewhere) names the manifest by its full path: it read ../../work/…/latency-gate.yaml.
    /// </summary>
    [Fact]
    public void A_report_folder_elsewhere_names_the_manifest_by_its_full_path()
    {
        var manifest = Path.Combine(ReferenceData.RepositoryRoot, "examples", "fleet", "latency-gate.yaml");
        using var folder = new TempFolder();
        static string First(string path) => Path.GetFullPath(path).Split(Path.DirectorySeparatorChar, StringSplitOptions.RemoveEmptyEntries)[0];
        if (First(manifest) == First(folder.Path))
        {
            return; // the repository is under the temporary folder's top folder: nothing to show here
        }

        var run = CliRunner.Run("check", "--manifest", manifest, "--report-dir", folder.File("r"), "--cache-dir", folder.File("cache"), "--format", "html");

        run.ExitCode.ShouldBe(0, run.Stderr);
        var html = File.ReadAllText(folder.File("r/latency-gate.html"));
        html.ShouldContain($"Manifest <code>{manifest}</code>");
        html.ShouldNotContain("<code>../");
    }

    [Fact]
    public void The_fleet_report_draws_one_bar_per_device_and_each_budget_line()
    {
        var html = File.ReadAllText(Reports.Fleet.Html);

        // Self-contained: no script, no external resource.
        html.ShouldNotContain("<script", Case.Insensitive);
        html.ShouldNotContain("src=", Case.Insensitive);
        html.ShouldNotContain("href=\"http", Case.Insensitive);
        var fleet = Figure(html, "fig-fleet");
        // Inside the plot area (the clipped groups): 5 bars in the pass colour, one budget line.
        Count(fleet, "fill=\"#2C7FB8\"").ShouldBe(5);
        Count(fleet, "stroke=\"#D62728\"").ShouldBeGreaterThanOrEqualTo(1);
        for (var i = 1; i <= 5; i++)
        {
            var device = Figure(html, $"fig-d{i}-interval");
            device.ShouldContain("stroke=\"#D62728\"");
            device.ShouldContain("<title id=\"fig-d" + i + "-interval-title\">");
        }

        // The shipped arch as blocks: 2+3+2+3+2 = 12 active blocks of r192-d23232.
        var arch = Figure(html, "fig-arch");
        (Count(arch, "fill=\"#C6DBEF\"") + Count(arch, "fill=\"#6BAED6\"") + Count(arch, "fill=\"#2171B5\"")).ShouldBe(12);
    }

    [Fact]
    public void The_fleet_report_shows_predictor_quality_where_held_out_measurements_exist()
    {
        var html = File.ReadAllText(Reports.Fleet.Html);

        // edge-npu (device 3) adapts on 30 of its 80 rows: the other 50 are held out. Its MAE is the
        // one the adaptation itself reports on those rows ("MAE 0.4273 ms" in the notes).
        var scatter = Figure(html, "fig-d3-scatter");
        Count(scatter, "fill=\"#2C7FB8\"").ShouldBe(50);
        scatter.ShouldContain("mean absolute error 0.427 ms");
        html.ShouldContain("on the 50 measurements not used as shots: MAE 0.4273 ms");
        var coverage = Figure(html, "fig-d3-coverage");
        Count(coverage, "fill=\"#2C7FB8\"").ShouldBe(6);
        // Devices without measurements the predictor was not fitted on show none.
        foreach (var device in new[] { 1, 2, 4, 5 })
        {
            html.ShouldNotContain($"id=\"fig-d{device}-scatter\"");
        }
    }

    [Fact]
    public void The_github_benchmark_report_has_one_smaller_is_better_entry_per_device()
    {
        using var doc = JsonDocument.Parse(Reports.Fleet.BenchmarkJson);

        var entries = doc.RootElement.EnumerateArray().ToArray();
        entries.Select(e => e.GetProperty("name").GetString()).ShouldBe(
            ["phone-big latency", "phone-mid latency", "edge-npu latency", "edge-gpu latency", "server-gpu latency (batch 32)"]);
        entries.ShouldAllBe(e => e.GetProperty("unit").GetString() == "ms" && e.GetProperty("value").GetDouble() > 0);
        // phone-mid gates the upper bound of its conformal interval: the value is that bound.
        entries[1].GetProperty("value").GetDouble().ShouldBe(20.2953, 1e-4);
        entries[1].GetProperty("range").GetString().ShouldBe("17.8474–20.2953");
    }

    [Fact]
    public void An_unknown_format_is_LG0521()
    {
        using var folder = new TempFolder("examples/fleet");

        var result = CliRunner.Run("check", "--manifest", folder.File("latency-gate.yaml"), "--format", "json,pdf");

        result.ExpectSingleError("LG0521").ShouldContain("'pdf'");
    }

    [Fact]
    public void A_host_without_a_renderer_skips_html_with_warning_LG0520()
    {
        using var folder = new TempFolder("examples/fleet");
        var manifest = folder.File("latency-gate.yaml");
        File.WriteAllText(manifest, File.ReadAllText(manifest).Replace("formats: [json, junit, markdown, sarif]", "formats: [json, html]", StringComparison.Ordinal));

        var outcome = GateRunner.Check(new CheckRequest(manifest) { Formats = null });

        outcome.ExitCode.ShouldBe(LatencyGate.Diagnostics.ExitCode.Success);
        outcome.Diagnostics.ShouldContain(d => d.Code == "LG0520" && d.Severity == LatencyGate.Diagnostics.DiagnosticSeverity.Warning);
        outcome.ReportFiles.Select(Path.GetFileName).ShouldBe(["latency-gate.json"]);
    }

    [Fact]
    public void The_sweep_report_draws_the_front_the_budget_line_and_the_chosen_point()
    {
        var html = File.ReadAllText(Reports.SweepReport);

        var front = Figure(html, "fig-d1-front");
        front.ShouldContain("stroke=\"#D62728\"");
        Count(front, "fill=\"#FF7F0E\"").ShouldBeGreaterThanOrEqualTo(1);
        // The pick is the most accurate point of the front within the 25 ms budget (pareto.csv, same run).
        var rows = File.ReadAllLines(Path.Combine(Path.GetDirectoryName(Reports.SweepReport)!, "pareto.csv")).Skip(1)
            .Select(l => l.Split(','))
            .Select(c => (Latency: double.Parse(c[2], System.Globalization.CultureInfo.InvariantCulture), Accuracy: double.Parse(c[4], System.Globalization.CultureInfo.InvariantCulture)))
            .ToArray();
        rows.Length.ShouldBeGreaterThan(2);
        var best = rows.Where(r => r.Latency <= 25).MaxBy(r => r.Accuracy);
        front.ShouldContain(FormattableString.Invariant($"the chosen sub-network is at {best.Latency:0.00} ms with accuracy {best.Accuracy:0.0000}"));
        // The README explains the screenshot's pick with these figures.
        var readme = Regex.Replace(File.ReadAllText(Path.Combine(ReferenceData.RepositoryRoot, "README.md")), @"\s+", " ");
        readme.ShouldContain(FormattableString.Invariant($"its 25 ms pick ({best.Accuracy:0.0000} at {best.Latency:0.00} ms)"));
    }

    /// <summary>
    /// Each interval figure's caption says what it draws: a fixed caption promised a shaded warn band on
    /// the quick start's device, which has no warn margin, and an interval on devices that have none.
    /// </summary>
    [Fact]
    public void Interval_captions_name_only_what_the_figure_draws()
    {
        var fleet = File.ReadAllText(Reports.Fleet.Html);
        // phone-big: a lookup table (no uncertainty model), 10 % warn margin of its 14 ms budget.
        Caption(fleet, "fig-d1-interval").ShouldBe("The predicted value (diamond; no interval: the predictor has no uncertainty model) against the budget (red line); the shaded band is the warn margin (the last 1.4 ms before the budget).");
        Caption(fleet, "fig-d2-interval").ShouldStartWith("The predicted interval (bar) and point value (diamond) against the budget (red line); the shaded band");
        Caption(fleet, "fig-d3-scatter").ShouldStartWith("Held-out measurements: the 50 rows of ");

        // The quick start sets warn_margin: 0 and no confidence: no band, no interval.
        Caption(File.ReadAllText(Reports.SweepReport), "fig-d1-interval").ShouldBe("The predicted value (diamond; no interval: the device sets no confidence) against the budget (red line).");
    }

    private static string Caption(string html, string id)
    {
        var open = html.IndexOf($"id=\"{id}\"", StringComparison.Ordinal);
        open.ShouldBeGreaterThan(0, $"figure {id} missing");
        var from = html.IndexOf("<figcaption>", open, StringComparison.Ordinal) + "<figcaption>".Length;
        return System.Net.WebUtility.HtmlDecode(html[from..html.IndexOf("</figcaption>", from, StringComparison.Ordinal)]);
    }

    private static string Figure(string html, string id)
    {
        var open = html.IndexOf($"id=\"{id}\"", StringComparison.Ordinal);
        open.ShouldBeGreaterThan(0, $"figure {id} missing");
        var from = html.LastIndexOf("<svg ", open, StringComparison.Ordinal);
        var to = html.IndexOf("</svg>", open, StringComparison.Ordinal);
        return html[from..to];
    }

    /// <summary>
    /// Occurrences of an attribute inside the data area: the groups clipped to the rectangle most
    /// groups are clipped to (the legend has its own clip rectangle, so its samples do not count).
    /// </summary>
    internal static int Count(string svg, string attribute)
    {
        var clips = ClipPath().Matches(svg).ToDictionary(m => m.Groups[1].Value, m => m.Groups[2].Value);
        var area = clips.Values.GroupBy(r => r).OrderByDescending(g => g.Count()).First().Key;
        return ClippedGroup().Matches(svg)
            .Where(m => clips[m.Groups[1].Value] == area)
            .Sum(m => Regex.Count(m.Value, Regex.Escape(attribute)));
    }

    [GeneratedRegex(@"<clipPath id=""([^""]+)"">\s*(<rect[^>]*>)", RegexOptions.Singleline)]
    private static partial Regex ClipPath();

    [GeneratedRegex(@"<g clip-path=""url\(#([^)]+)\)""[^>]*>.*?</g>", RegexOptions.Singleline)]
    private static partial Regex ClippedGroup();
}
