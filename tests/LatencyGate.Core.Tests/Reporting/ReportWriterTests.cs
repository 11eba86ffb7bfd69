using System.Text.Json;
using System.Xml.Linq;
using LatencyGate.Diagnostics;
using LatencyGate.Gating;
using LatencyGate.Manifest;
using LatencyGate.Predictors;
using LatencyGate.Reporting;
using Shouldly;
using Xunit;

namespace LatencyGate.Tests.Reporting;

public sealed class ReportWriterTests
{

    [Fact]
    public void Json_report_matches_the_approved_snapshot() => Approved.Verify("mixed.json", JsonReportWriter.Write(SampleResults.Mixed()));

    [Fact]
    public void JUnit_report_matches_the_approved_snapshot() => Approved.Verify("mixed.junit.xml", JUnitReportWriter.Write(SampleResults.Mixed()));

    [Fact]
    public void Markdown_report_matches_the_approved_snapshot() => Approved.Verify("mixed.md", MarkdownReportWriter.Write(SampleResults.Mixed()));

    [Fact]
    public void Annotations_match_the_approved_snapshot() => Approved.Verify("mixed.annotations", GitHubAnnotationWriter.Write(SampleResults.Mixed()));

    [Fact]
    public void Sarif_report_matches_the_approved_snapshot() => Approved.Verify("mixed.sarif", SarifReportWriter.Write(SampleResults.Mixed()));

    [Theory]
    [MemberData(nameof(Results))]
    public void JUnit_report_is_valid_against_the_JUnit_schema(string name)
    {
        var xml = JUnitReportWriter.Write(Result(name));

        ValidateJUnit(xml).ShouldBeEmpty();
        var suite = XDocument.Parse(xml).Root!.Element("testsuite")!;
        suite.Elements("testcase").Count().ShouldBe(Result(name).Devices.Count);
        suite.Attribute("failures")!.Value.ShouldBe(Result(name).Count(Verdict.Fail).ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public void JUnit_failure_names_the_device_its_latency_and_budget()
    {
        var suite = XDocument.Parse(JUnitReportWriter.Write(SampleResults.Mixed())).Root!.Element("testsuite")!;
        var failing = suite.Elements("testcase").Single(c => c.Element("failure") is not null);

        failing.Attribute("name")!.Value.ShouldBe("jetson|nano");
        var failure = failing.Element("failure")!;
        failure.Attribute("type")!.Value.ShouldBe(GateErrors.OverBudget);
        failure.Attribute("message")!.Value.ShouldBe("device 'jetson|nano': gated latency 13.88 ms (predicted) is over its budget of 12.00 ms");
        suite.Elements("testcase").Single(c => c.Attribute("name")!.Value == "tx2").Element("error")!.Attribute("type")!.Value.ShouldBe("LG0432");
        suite.Elements("testcase").Single(c => c.Attribute("name")!.Value == "cpu").Element("skipped").ShouldNotBeNull();
    }

    [Fact]
    public void JUnit_report_stays_well_formed_with_characters_XML_cannot_hold()
    {
        // Round 10: a control character or a lone surrogate in a note or message made XmlWriter throw, losing every report.
        var mixed = SampleResults.Mixed();
        var result = mixed with { Devices = [.. mixed.Devices.Select(d => d with { Notes = ["tool said \u001b[31mred\u0001 \ud800 \U0001F600"] })] };

        var xml = JUnitReportWriter.Write(result);

        ValidateJUnit(xml).ShouldBeEmpty();
        xml.ShouldContain("tool said \\u001b[31mred\\u0001 \\ud800 \U0001F600");
    }

    [Fact]
    public void JUnit_schema_check_can_fail()
    {
        var xml = JUnitReportWriter.Write(SampleResults.Mixed()).Replace(" hostname=\"ci-runner\"", string.Empty, StringComparison.Ordinal);

        ValidateJUnit(xml).ShouldContain(e => e.Contains("hostname", StringComparison.Ordinal));
    }

    [Theory]
    [MemberData(nameof(Results))]
    public void Sarif_report_is_valid_against_the_official_schema(string name)
    {
        var sarif = SarifReportWriter.Write(Result(name));

        using var doc = JsonDocument.Parse(sarif);
        Sarif().Validate(doc.RootElement).ShouldBeEmpty();
    }

    [Fact]
    public void Sarif_for_an_invalid_manifest_is_valid_and_points_at_each_mistake()
    {
        var diagnostics = new[]
        {
            Diagnostic.Error("LG0401", "unknown key 'budegt_ms'", new SourceLocation("latency-gate.yaml", 7, 5)),
            Diagnostic.Error("LG0405", "measurements 'data/x.csv' not found", new SourceLocation("sub dir/latency-gate.yaml", 9, 23)),
            Diagnostic.Error("LG0413", "manifest not found", new SourceLocation("other.yaml")),
        };

        using var doc = JsonDocument.Parse(SarifReportWriter.Write(diagnostics, "0.1.0", 2));

        Sarif().Validate(doc.RootElement).ShouldBeEmpty();
        var results = doc.RootElement.GetProperty("runs")[0].GetProperty("results");
        results.GetArrayLength().ShouldBe(3);
        var region = results[0].GetProperty("locations")[0].GetProperty("physicalLocation").GetProperty("region");
        region.GetProperty("startLine").GetInt32().ShouldBe(7);
        region.GetProperty("startColumn").GetInt32().ShouldBe(5);
        results[1].GetProperty("locations")[0].GetProperty("physicalLocation").GetProperty("artifactLocation").GetProperty("uri").GetString().ShouldBe("sub%20dir/latency-gate.yaml");
        results[2].GetProperty("locations")[0].GetProperty("physicalLocation").TryGetProperty("region", out _).ShouldBeFalse();
    }

    [Fact]
    public void Sarif_rules_cover_exactly_the_codes_used_and_results_point_at_the_budget_line()
    {
        using var doc = JsonDocument.Parse(SarifReportWriter.Write(SampleResults.Mixed()));
        var run = doc.RootElement.GetProperty("runs")[0];
        var rules = run.GetProperty("tool").GetProperty("driver").GetProperty("rules").EnumerateArray().Select(r => r.GetProperty("id").GetString()).ToArray();
        var results = run.GetProperty("results").EnumerateArray().ToArray();

        rules.ShouldBe(["LG0432", "LG0500", "LG0501", "LG0560"]);
        results.Select(r => r.GetProperty("ruleId").GetString()).ShouldBe(["LG0560", "LG0501", "LG0500", "LG0432"]);
        foreach (var r in results)
        {
            rules[r.GetProperty("ruleIndex").GetInt32()].ShouldBe(r.GetProperty("ruleId").GetString());
        }

        var over = results.Single(r => r.GetProperty("ruleId").GetString() == "LG0500");
        over.GetProperty("level").GetString().ShouldBe("error");
        var region = over.GetProperty("locations")[0].GetProperty("physicalLocation").GetProperty("region");
        region.GetProperty("startLine").GetInt32().ShouldBe(24);
        region.GetProperty("startColumn").GetInt32().ShouldBe(16);
    }

    [Fact]
    public void Sarif_schema_check_can_fail()
    {
        using var doc = JsonDocument.Parse(SarifReportWriter.Write(SampleResults.Mixed()).Replace("\"level\": \"warning\"", "\"level\": \"warn\"", StringComparison.Ordinal).Replace("\"startLine\": 24", "\"startLine\": 0", StringComparison.Ordinal));

        var errors = Sarif().Validate(doc.RootElement);

        errors.ShouldContain(e => e.Contains("\"warn\" is not one of", StringComparison.Ordinal));
        errors.ShouldContain(e => e.Contains("below the minimum 1", StringComparison.Ordinal));
    }

    [Fact]
    public void Json_report_has_the_documented_fields_and_round_trips_numbers()
    {
        using var doc = JsonDocument.Parse(JsonReportWriter.Write(SampleResults.Mixed()));
        var root = doc.RootElement;

        root.GetProperty("schema_version").GetInt32().ShouldBe(JsonReportWriter.SchemaVersion);
        root.GetProperty("verdict").GetString().ShouldBe("error");
        root.GetProperty("exit_code").GetInt32().ShouldBe(2);
        var jetson = root.GetProperty("devices").EnumerateArray().Single(d => d.GetProperty("name").GetString() == "jetson|nano");
        jetson.GetProperty("latency_ms").GetDouble().ShouldBe(13.876);
        jetson.GetProperty("gated_ms").GetDouble().ShouldBe(13.876);
        jetson.GetProperty("headroom_ms").GetDouble().ShouldBe(-1.876);
        jetson.GetProperty("confidence").ValueKind.ShouldBe(JsonValueKind.Null);
        jetson.GetProperty("arch").GetProperty("ks").GetArrayLength().ShouldBe(20);
        jetson.GetProperty("arch").GetProperty("r")[0].GetInt32().ShouldBe(192);
        var note10 = root.GetProperty("devices")[0];
        note10.GetProperty("gated_ms").GetDouble().ShouldBe(19.4, "with a confidence the upper bound is gated");
        note10.GetProperty("location").GetProperty("line").GetInt32().ShouldBe(13);

        var documented = File.ReadAllText(Path.Combine(ReferenceData.RepositoryRoot, "docs", "reports.md"));
        foreach (var field in Fields(root))
        {
            documented.ShouldContain($"`{field}`", customMessage: $"field '{field}' of the JSON report is not documented in docs/reports.md");
        }
    }

    [Fact]
    public void A_device_without_an_uncertainty_model_shows_no_interval_anywhere()
    {
        // A lookup table with a confidence set: the bounds equal the point, which is not an interval.
        var lut = SampleResults.Mixed().Devices[0] with { Estimate = new LatencyEstimate(11.17, 11.17, 11.17), Confidence = 0.9, IntervalMethod = IntervalMethod.None };
        var result = SampleResults.Mixed() with { Devices = [lut] };

        GateFindings.DescribeLatency(lut).ShouldBe("gated latency 11.17 ms (predicted; no uncertainty model, so no 90% interval)");
        ReportText.IntervalCell(lut).ShouldBe("no uncertainty model");
        using var doc = JsonDocument.Parse(JsonReportWriter.Write(result));
        var device = doc.RootElement.GetProperty("devices")[0];
        device.GetProperty("lower_ms").ValueKind.ShouldBe(JsonValueKind.Null);
        device.GetProperty("upper_ms").ValueKind.ShouldBe(JsonValueKind.Null);
        device.GetProperty("gated_ms").GetDouble().ShouldBe(11.17);
        device.GetProperty("no_interval_reason").GetString().ShouldBe("no uncertainty model");
        var markdown = MarkdownReportWriter.Write(result);
        markdown.ShouldContain("no uncertainty model");
        markdown.ShouldNotContain("11.17–11.17");
        ReportText.DeviceLine(lut).ShouldNotContain("11.17–11.17");
    }

    [Fact]
    public void The_Markdown_summary_quotes_user_text_inert_since_GitHub_renders_its_HTML_and_links()
    {
        // A value echoed from a manifest reaches the job summary page: it must not draw an image or a link there.
        var mixed = SampleResults.Mixed();
        var hostile = "<img src=x onerror=alert(1)> [click](https://example.invalid) a`b";
        var tx2 = mixed.Devices[3] with { Diagnostics = [Diagnostic.Error("LG0432", "predictor file " + hostile + " cannot be loaded", new SourceLocation("dir`s/latency-gate.yaml", 33, 15))] };
        var note10 = mixed.Devices[0] with { Notes = [hostile] };
        var markdown = MarkdownReportWriter.Write(mixed with { Devices = [note10, mixed.Devices[1], mixed.Devices[2], tx2, mixed.Devices[4]] });

        markdown.ShouldNotContain("<img");
        markdown.ShouldNotContain("[click](");
        markdown.ShouldContain("&lt;img src=x onerror=alert(1)&gt; \\[click\\](https://example.invalid) a\\`b");
        markdown.ShouldContain("``dir`s/latency-gate.yaml(33,15)``");
    }

    [Fact]
    public void Annotations_escape_what_GitHub_requires()
    {
        var text = GitHubAnnotationWriter.Write([Diagnostic.Error("LG0500", "50% over\nbudget", new SourceLocation("a,b:c.yaml", 3, 4))]);

        text.ShouldBe("::error file=a%2Cb%3Ac.yaml,line=3,col=4,title=LG0500 over budget::50%25 over%0Abudget\n");
    }

    [Theory]
    [InlineData(10.0, null, 12.0, 1.0, "pass")]
    [InlineData(11.5, null, 12.0, 1.0, "warn")]
    [InlineData(12.0, null, 12.0, 1.0, "warn")]
    [InlineData(12.01, null, 12.0, 1.0, "fail")]
    [InlineData(10.0, 0.95, 12.0, 1.0, "fail")]
    [InlineData(10.0, 0.95, 13.0, 0.0, "pass")]
    public void Gate_rule_acts_on_the_upper_bound_only_when_a_confidence_is_set(double point, double? confidence, double budget, double margin, string expected) =>
        ReportText.Verdict(GateRule.Decide(new LatencyEstimate(point, point - 1, point + 2.5), confidence, budget, margin)).ShouldBe(expected);

    [Fact]
    public void Exit_code_is_zero_for_pass_and_warn_one_for_fail_two_for_errors()
    {
        var mixed = SampleResults.Mixed();
        mixed.ExitCode.ShouldBe(ExitCode.InvalidInput);
        (mixed with { Devices = mixed.Devices.Where(d => d.Verdict != Verdict.Error).ToArray() }).ExitCode.ShouldBe(ExitCode.GateFailed);
        (mixed with { Devices = mixed.Devices.Where(d => d.Verdict is Verdict.Pass or Verdict.Warn).ToArray() }).ExitCode.ShouldBe(ExitCode.Success);
        (mixed with { Devices = mixed.Devices.Where(d => d.Verdict is Verdict.Pass or Verdict.Warn).ToArray() }).Overall.ShouldBe(Verdict.Warn);
    }

    [Fact]
    public void Write_all_writes_each_format_and_replaces_old_files()
    {
        var dir = Path.Combine(Path.GetTempPath(), "lg-reports-" + Guid.NewGuid().ToString("N"));
        try
        {
            Directory.CreateDirectory(dir);
            File.WriteAllText(Path.Combine(dir, "latency-gate.json"), "old");

            var written = ReportWriter.WriteAll(SampleResults.Mixed(), dir, Enum.GetValues<ReportFormat>());

            // Without a renderer (the core alone) html is skipped; the caller warns (LG0520).
            written.Select(Path.GetFileName).ShouldBe(["latency-gate.json", "latency-gate.junit.xml", "latency-gate.md", "latency-gate.sarif", "latency-gate.benchmark.json"]);
            File.ReadAllText(Path.Combine(dir, "latency-gate.json")).ShouldBe(JsonReportWriter.Write(SampleResults.Mixed()));
            Directory.GetFiles(dir).Length.ShouldBe(5, "no temporary files are left behind");
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void Writing_into_a_file_path_fails_with_a_coded_error()
    {
        var file = Path.GetTempFileName();
        try
        {
            var ex = Should.Throw<LatencyGateException>(() => ReportWriter.WriteAll(SampleResults.Mixed(), file, [ReportFormat.Json]));
            ex.Diagnostics.ShouldHaveSingleItem().Code.ShouldBe(GateErrors.ReportWriteFailed);
        }
        finally
        {
            File.Delete(file);
        }
    }

    public static TheoryData<string> Results() => new() { "mixed", "all-pass", "empty" };

    private static GateResult Result(string name) => name switch
    {
        "mixed" => SampleResults.Mixed(),
        "all-pass" => SampleResults.AllPass(),
        _ => SampleResults.Mixed() with { Devices = [], Diagnostics = [] },
    };

    private static JsonSchemaValidator Sarif() => ReportSchemas.Sarif();

    private static IReadOnlyList<string> ValidateJUnit(string xml) => ReportSchemas.ValidateJUnit(xml);

    private static IEnumerable<string> Fields(JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var p in element.EnumerateObject())
                {
                    yield return p.Name;
                    if (p.Name != "arch")
                    {
                        foreach (var f in Fields(p.Value))
                        {
                            yield return f;
                        }
                    }
                }

                break;
            case JsonValueKind.Array:
                foreach (var item in element.EnumerateArray())
                {
                    foreach (var f in Fields(item))
                    {
                        yield return f;
                    }
                }

                break;
        }
    }
}
