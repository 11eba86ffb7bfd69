using System.Text.RegularExpressions;
using Shouldly;
using Xunit;

namespace LatencyGate.Tests;

/// <summary>
/// Output the README and the docs show is what the tool prints today, run as they say (a figure in the
/// docs comes from the code path a user runs). `…` in a shown line stands for any text.
/// </summary>
public sealed partial class DocsOutputTests
{
    private static string Repo(string relative) => File.ReadAllText(Path.Combine(ReferenceData.RepositoryRoot, relative));

    [Fact]
    public void The_readme_fleet_lines_and_over_budget_error_are_what_check_prints()
    {
        var readme = Repo("README.md");
        var section = readme[readme.IndexOf("## First two commands", StringComparison.Ordinal)..];
        var shown = Block().Matches(section).Select(m => m.Groups[1].Value).First(b => b.Contains("PASS  phone-big", StringComparison.Ordinal))
            .Split('\n', StringSplitOptions.RemoveEmptyEntries);
        using var fleet = new TempFolder("examples/fleet");

        var (code, stdout, stderr) = CliRunner.Run("check", "--manifest", fleet.File("latency-gate.yaml"), "--cache-dir", fleet.File("cache"));

        code.ShouldBe(0, stderr);
        var printed = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(l => !l.StartsWith("report: ", StringComparison.Ordinal)).ToArray();
        printed.Length.ShouldBe(shown.Length, stdout);
        for (var i = 0; i < shown.Length; i++)
        {
            printed[i].ShouldMatch(Pattern(shown[i]), $"README.md shows '{shown[i]}'");
        }

        // The over-budget error, as the README and the fleet's README show it.
        var overBudget = CliRunner.Run("check", "--manifest", fleet.File("latency-gate.over-budget.yaml"), "--cache-dir", fleet.File("cache"), "--report-dir", fleet.File("out"));
        overBudget.ExitCode.ShouldBe(1, overBudget.Stderr);
        var error = overBudget.Stderr.Split('\n').Single(l => l.Contains("error LG0500", StringComparison.Ordinal));
        foreach (var doc in new[] { readme, Repo("examples/fleet/README.md") })
        {
            var documented = OverBudgetLine().Match(doc);
            documented.Success.ShouldBeTrue("the over-budget error line");
            error.ShouldEndWith(documented.Groups[1].Value.TrimStart('…', '/'));
        }
    }

    /// <summary>
    /// docs/reports.md's tables name every field of the JSON report and no other: a measured device's
    /// <c>measured</c> object was written for measured devices only and documented nowhere.
    /// </summary>
    [Fact]
    public void The_json_report_fields_are_the_ones_docs_reports_md_lists()
    {
        var doc = Repo("docs/reports.md");
        string[] Rows(string from, string to)
        {
            var start = doc.IndexOf(from, StringComparison.Ordinal);
            var table = doc[start..doc.IndexOf(to, start, StringComparison.Ordinal)];
            return [.. Regex.Matches(table, @"^\| `([a-z_]+)` \|", RegexOptions.Multiline).Select(m => m.Groups[1].Value)];
        }

        using var fleet = new TempFolder("examples/fleet");
        var run = CliRunner.Run("check", "--manifest", fleet.File("latency-gate.over-budget.yaml"), "--cache-dir", fleet.File("cache"), "--json");
        run.ExitCode.ShouldBe(1, run.Stderr);
        using var json = System.Text.Json.JsonDocument.Parse(run.Stdout);
        var root = json.RootElement;

        root.EnumerateObject().Select(p => p.Name).ShouldBe(Rows("## JSON report", "Each element of `devices`"), ignoreOrder: true);
        foreach (var device in root.GetProperty("devices").EnumerateArray())
        {
            device.EnumerateObject().Select(p => p.Name).ShouldBe(Rows("Each element of `devices`", "Each element of `diagnostics`"), ignoreOrder: true);
            device.GetProperty("measured").ValueKind.ShouldBe(System.Text.Json.JsonValueKind.Null);
        }

        root.GetProperty("diagnostics")[0].EnumerateObject().Select(p => p.Name).ShouldBe(Rows("Each element of `diagnostics`", "## JUnit"), ignoreOrder: true);
    }

    [Fact]
    public void The_fleet_readme_ofa_manifest_prints_its_line_with_the_built_in_tables_and_predictor()
    {
        var doc = Repo("examples/fleet/README.md");
        var yaml = Block().Matches(doc).Select(m => m.Groups[1].Value).Single(b => b.StartsWith("yaml\n", StringComparison.Ordinal))["yaml\n".Length..];
        // The README: "The tables and the predictor are also built into the tool".
        yaml = Regex.Replace(yaml, @"predictor: ofa/acc_predictor\.pth[^\n]*", "predictor: builtin:ofa-w1.2");
        yaml = Regex.Replace(yaml, @"lut: ofa/latency_table@note10[^\n]*", "lut: builtin:note10");
        yaml.ShouldNotContain("ofa/");
        using var folder = new TempFolder();
        File.WriteAllText(folder.File("latency-gate.yaml"), yaml);

        var (code, stdout, stderr) = CliRunner.Run("check", "--manifest", folder.File("latency-gate.yaml"));

        code.ShouldBe(0, stderr);
        var shown = ShownPassLine().Match(doc);
        shown.Success.ShouldBeTrue("the note10 line");
        stdout.Split('\n')[0].ShouldBe(shown.Groups[1].Value);
    }

    [Fact]
    public void The_search_docs_infeasible_budget_output_is_what_search_prints()
    {
        var doc = Repo("docs/search.md");
        var shown = Block().Matches(doc).Select(m => m.Groups[1].Value).Single(b => b.Contains("error LG0300", StringComparison.Ordinal))
            .Split('\n', StringSplitOptions.RemoveEmptyEntries);
        using var folder = new TempFolder("examples/ofa-quickstart");
        var manifest = folder.File("five.yaml");
        var text = File.ReadAllText(folder.File("latency-gate.yaml"));
        text.ShouldContain("budget_ms: 25\n");
        File.WriteAllText(manifest, text.Replace("budget_ms: 25\n", "budget_ms: 5\n", StringComparison.Ordinal));

        var (code, stdout, stderr) = CliRunner.Run("search", "--manifest", manifest);

        code.ShouldBe(1, stderr);
        stdout.Split('\n')[0].ShouldBe(shown[0]);
        stderr.Split('\n').Single(l => l.Contains("error LG0300", StringComparison.Ordinal)).ShouldBe(Path.Combine(folder.Path, shown[1]));

        // check's device line says why there is no latency (it read "FAIL  note10: budget 5.00 ms").
        var check = CliRunner.Run("check", "--manifest", manifest, "--report-dir", folder.File("out"));
        check.ExitCode.ShouldBe(1, check.Stderr);
        var shownCheck = Regex.Match(doc, "`(FAIL  note10: [^`]+)`").Groups[1].Value;
        shownCheck.ShouldContain("LG0502: no sub-network fits");
        check.Stdout.Split('\n')[0].ShouldBe(shownCheck);
    }

    /// <summary>
    /// docs/manifest.md's example, with the files it names in place, is gated as written: it once set
    /// space ofa-mbv3-w1.0 beside OFA's Note10 tables and accuracy predictor, both w1.2 (LG0422).
    /// </summary>
    [Fact]
    public void The_manifest_docs_example_gates_with_its_files_in_place()
    {
        var doc = Repo("docs/manifest.md");
        var yaml = Regex.Match(doc, "## Example\n\n```yaml\n(.*?)```", RegexOptions.Singleline).Groups[1].Value;
        yaml.ShouldContain("lut: builtin:note10");
        using var folder = new TempFolder();
        Directory.CreateDirectory(folder.File("model"));
        Directory.CreateDirectory(folder.File("data"));
        Directory.CreateDirectory(folder.File("predictors"));
        var fleet = Path.Combine(ReferenceData.RepositoryRoot, "examples", "fleet");
        File.Copy(Path.Combine(fleet, "model", "arch.json"), folder.File("model/arch.json"));
        File.Copy(Path.Combine(fleet, "data", "edge-npu.csv"), folder.File("data/rtx2080ti.csv"));
        File.Copy(Path.Combine(fleet, "predictors", "edge-gpu.safetensors"), folder.File("predictors/note10.safetensors"));
        File.WriteAllText(folder.File("latency-gate.yaml"), yaml);

        var (code, stdout, stderr) = CliRunner.Run("check", "--manifest", folder.File("latency-gate.yaml"), "--device", "note10");

        stderr.ShouldNotContain("error LG");
        code.ShouldBe(0, stderr);
        stdout.ShouldStartWith("PASS  note10: gated latency 19.86 ms (predicted; no uncertainty model, so no 95% interval), budget 25.00 ms, accuracy 0.7952, ");
    }

    /// <summary>An accuracy profile of the other space is one LG0422 at its line, not that error quoted inside LG0432 with the same location twice.</summary>
    [Fact]
    public void An_accuracy_profile_of_another_space_is_one_located_error()
    {
        using var folder = new TempFolder("examples/fleet");
        var manifest = folder.File("latency-gate.yaml");
        var text = File.ReadAllText(manifest);
        text.ShouldContain("accuracy: macs\n");
        File.WriteAllText(manifest, text.Replace("space: ofa-mbv3-w1.2", "space: ofa-mbv3-w1.0", StringComparison.Ordinal).Replace("accuracy: macs\n", "accuracy: {predictor: builtin:ofa-w1.2}\n", StringComparison.Ordinal));

        var (code, _, stderr) = CliRunner.Run("check", "--manifest", manifest);

        code.ShouldBe(2);
        var line = stderr.Split('\n').Single(l => l.Contains("builtin:ofa-w1.2", StringComparison.Ordinal) && l.Contains(" error ", StringComparison.Ordinal));
        line.ShouldMatch(@"latency-gate\.yaml\(\d+,\d+\): error LG0422: 'builtin:ofa-w1\.2' \(accuracy predictor\) is for space ofa-mbv3-w1\.2, not ofa-mbv3-w1\.0");
        line.ShouldNotContain("LG0432");
    }

    /// <summary>
    /// A predictor file of the other space, named by the manifest: the error is at the manifest line and
    /// quotes the file's own code once, without repeating the file's full path after the manifest's name for it.
    /// </summary>
    [Fact]
    public void A_predictor_file_of_another_space_is_quoted_once_at_the_manifest_line()
    {
        using var fleet = new TempFolder("examples/fleet");
        var manifest = fleet.File("latency-gate.yaml");
        File.WriteAllText(manifest, File.ReadAllText(manifest).Replace("space: ofa-mbv3-w1.2", "space: ofa-mbv3-w1.0", StringComparison.Ordinal));

        var (code, _, stderr) = CliRunner.Run("check", "--manifest", manifest, "--device", "edge-gpu");

        code.ShouldBe(2);
        var line = stderr.Split('\n').Single(l => l.Contains("device 'edge-gpu'", StringComparison.Ordinal) && l.Contains(" error ", StringComparison.Ordinal));
        line.ShouldMatch(@"latency-gate\.yaml\(\d+,\d+\): error LG0430: device 'edge-gpu': predictors/edge-gpu\.safetensors: error LG0155: this predictor was made for space 'ofa-mbv3-w1\.2', not 'ofa-mbv3-w1\.0'$");
    }

    /// <summary>docs/reports.md gives the fleet page's size in bytes; it is what check writes (it had drifted by 1.5 KB).</summary>
    [Fact]
    public void The_reports_docs_fleet_page_size_is_what_check_writes()
    {
        var documented = Regex.Match(Repo("docs/reports.md"), @"The 5-device fleet's page is ([\d,]+) bytes \((\d+) figures");
        documented.Success.ShouldBeTrue("the fleet page's size in docs/reports.md");
        using var fleet = new TempFolder("examples/fleet");

        var (code, _, stderr) = CliRunner.Run("check", "--manifest", fleet.File("latency-gate.yaml"), "--format", "html", "--cache-dir", fleet.File("cache"));

        code.ShouldBe(0, stderr);
        var page = File.ReadAllText(fleet.File("latency-gate-reports/latency-gate.html"));
        var size = new FileInfo(fleet.File("latency-gate-reports/latency-gate.html")).Length;
        size.ShouldBeLessThan(1_000_000);
        // Glyph positions, so bytes, follow the font: the figure is for DejaVu Sans, which .ci/run installs (docs/reports.md).
        if (File.Exists("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"))
        {
            size.ShouldBe(long.Parse(documented.Groups[1].Value.Replace(",", string.Empty, StringComparison.Ordinal), System.Globalization.CultureInfo.InvariantCulture));
        }
        Regex.Matches(page, "<figure").Count.ShouldBe(int.Parse(documented.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture));
    }

    /// <summary>
    /// docs/measuring.md's how-to runs as written, at a smaller scale (4 archs, 3 timed runs, 2 shots),
    /// and prints what the page shows: measure's first, per-arch and summary lines, fit's held-out line,
    /// and check's line for the manifest the page gives (figures are this machine's, so numbers are free).
    /// </summary>
    [Fact]
    public void The_measuring_how_to_runs_as_written_and_prints_what_it_shows()
    {
        var doc = Repo("docs/measuring.md");
        var howTo = doc[doc.IndexOf("## How to:", StringComparison.Ordinal)..doc.IndexOf("## `export`", StringComparison.Ordinal)];
        // The blocks sit in a numbered list, indented: dedent them.
        var blocks = IndentedBlock().Matches(howTo)
            .Select(m => string.Join('\n', m.Groups[2].Value.Split('\n').Select(l => l.StartsWith(m.Groups[1].Value, StringComparison.Ordinal) ? l[m.Groups[1].Value.Length..] : l)).Trim())
            .ToArray();
        using var dir = new TempFolder();
        string[] Args(string line, params (string From, string To)[] scale)
        {
            foreach (var (from, to) in scale)
            {
                line.ShouldContain(from);
                line = line.Replace(from, to, StringComparison.Ordinal);
            }

            line.ShouldStartWith("dotnet latency-gate ");
            return [.. line["dotnet latency-gate ".Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries)
                .Select(t => t is "archs.jsonl" or "this-machine.csv" or "this-machine.safetensors" ? dir.File(t) : t)];
        }

        var sampleLine = blocks.Single(b => b.Contains(" sample ", StringComparison.Ordinal));
        var sample = CliRunner.Run(Args(sampleLine[..sampleLine.IndexOf(" > archs.jsonl", StringComparison.Ordinal)], ("--count 20", "--count 4")));
        sample.ExitCode.ShouldBe(0, sample.Stderr);
        File.WriteAllText(dir.File("archs.jsonl"), sample.Stdout);

        var measure = CliRunner.Run([.. Args(blocks.Single(b => b.StartsWith("dotnet latency-gate measure ", StringComparison.Ordinal))), "--warmup", "1", "--runs", "3"]);
        measure.ExitCode.ShouldBe(0, measure.Stderr);
        var shownMeasure = blocks.Single(b => b.StartsWith("measuring ", StringComparison.Ordinal)).Split('\n');
        var printedMeasure = measure.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        printedMeasure[0].ShouldMatch(Shape(shownMeasure[0][..(shownMeasure[0].IndexOf(") on ", StringComparison.Ordinal) + 5)] + "…"));
        printedMeasure[1].ShouldMatch(Shape(Regex.Replace(shownMeasure[1], @" r\S+ ", " … ")));
        printedMeasure[^2].ShouldMatch(Shape(shownMeasure[^2].Replace(" this-machine.", " …this-machine.", StringComparison.Ordinal)));
        printedMeasure[^1].ShouldMatch(Shape(shownMeasure[^1]));

        var fit = CliRunner.Run(Args(blocks.Single(b => b.StartsWith("dotnet latency-gate fit ", StringComparison.Ordinal)), ("--shots 10", "--shots 2")));
        fit.ExitCode.ShouldBe(0, fit.Stderr);
        var heldOut = Regex.Match(howTo, "`(on the 10 measurements not used as shots: MAE …,)").Groups[1].Value;
        heldOut.ShouldNotBeEmpty();
        fit.Stdout.Split('\n').ShouldContain(l => Regex.IsMatch(l, Shape(heldOut + "…")));

        File.WriteAllText(dir.File("latency-gate.yaml"), blocks.Single(b => b.StartsWith("version: 1", StringComparison.Ordinal)));
        File.WriteAllText(dir.File("arch.json"), File.ReadLines(dir.File("archs.jsonl")).First());
        var check = CliRunner.Run("check", "--manifest", dir.File("latency-gate.yaml"));
        check.ExitCode.ShouldBeOneOf([0, 1], check.Stderr);
        var shownCheck = Regex.Match(howTo, "`(PASS  this-machine: [^`]+)`").Groups[1].Value;
        shownCheck.ShouldNotBeEmpty();
        check.Stdout.Split('\n')[0].ShouldMatch("^(PASS|WARN|FAIL)" + Shape(shownCheck)[5..]);
    }

    // A shown line as a pattern for this machine's output: numbers are free, `…` stands for any text.
    private static string Shape(string shown) =>
        "^" + string.Join(".*", shown.Split('…').Select(part => Regex.Replace(Regex.Escape(part), @"\d+(\\\.\d+)?", @"\d+(\.\d+)?"))) + "$";

    private static string Pattern(string shown) => "^" + string.Join(".*", shown.Split('…').Select(Regex.Escape)) + "$";

    [GeneratedRegex("```([^`]*?)\n```", RegexOptions.Singleline)]
    private static partial Regex Block();

    [GeneratedRegex("^( *)```[a-z]*\n(.*?)\n *```", RegexOptions.Singleline | RegexOptions.Multiline)]
    private static partial Regex IndentedBlock();

    [GeneratedRegex(@"`(…?/?latency-gate\.over-budget\.yaml\(\d+,\d+\): error LG0500: [^`]+)`")]
    private static partial Regex OverBudgetLine();

    [GeneratedRegex(@"`(PASS  note10: [^`]+)`")]
    private static partial Regex ShownPassLine();
}
