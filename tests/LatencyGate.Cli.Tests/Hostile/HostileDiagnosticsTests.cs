using System.Text.RegularExpressions;
using Shouldly;
using Xunit;

namespace LatencyGate.Tests.Hostile;

/// <summary>Issue 18, "Diagnostics": cut echoes, manifest locations, every mistake counted, codes as documented, decisions.</summary>
public sealed partial class HostileDiagnosticsTests
{
    [Fact]
    public void Item13_echoed_input_is_cut()
    {
        using var fleet = new TempFolder("examples/fleet");
        var huge = new string('x', 3_000_000);
        var manifest = fleet.File("huge.yaml");
        File.WriteAllText(manifest, File.ReadAllText(fleet.File("latency-gate.yaml")).Replace("space: ofa-mbv3-w1.2", "space: " + huge, StringComparison.Ordinal));
        var result = Hostile.Run("check", "-m", manifest);
        result.ShouldFailWith("LG0408").ShouldContain("3,000,000 chars");
        result.Stderr.Length.ShouldBeLessThan(5_000);

        var csv = fleet.File("cell.csv");
        File.WriteAllText(csv, "arch,latency_ms\n\"" + huge + "\",1\n\"{}\"," + huge + "\n");
        var bad = Hostile.Run("evaluate", "--predictor", fleet.File("predictors/edge-gpu.safetensors"), "--data", csv);
        bad.ShouldFailWith("LG0150");
        bad.Stderr.Length.ShouldBeLessThan(5_000);
    }

    [Fact]
    public void Item14_problems_inside_named_files_are_at_the_manifest_line()
    {
        using var fleet = new TempFolder("examples/fleet");
        // A table folder that is wrong as a whole keeps its own code (no tables: LG0021), at the line naming it.
        Hostile.Run("check", "-m", Hostile.LutManifest(fleet, lut: "/etc")).ShouldFailWith("LG0021").ShouldContain("latency-gate.test.yaml(10,");

        File.WriteAllBytes(fleet.File("predictors/tiny.safetensors"), new byte[8]);
        var tiny = fleet.File("tiny.yaml");
        File.WriteAllText(tiny, File.ReadAllText(Hostile.LutManifest(fleet)).Replace("lut: luts/phone-big", "file: predictors/tiny.safetensors", StringComparison.Ordinal));
        var line = Hostile.Run("check", "-m", tiny).ShouldFailWith("LG0432");
        line.ShouldStartWith(tiny + "(10,");
        line.ShouldContain("LG0042");

        var search = Hostile.LutManifest(fleet, name: "ratio.yaml", extra: "search: {population: 10, generations: 2, parent_ratio: 0.0001}");
        Hostile.Run("check", "-m", search).ShouldFailWith("LG0301").ShouldStartWith(search + "(5,");

        var impossible = fleet.File("impossible.yaml");
        File.WriteAllText(impossible, File.ReadAllText(Hostile.LutManifest(fleet, extra: "search: {population: 10, generations: 2}")).Replace("budget_ms: 14", "budget_ms: 0.5", StringComparison.Ordinal));
        var lg0300 = Hostile.Run("search", "-m", impossible, "--out", fleet.File("out"));
        lg0300.ExitCode.ShouldBe(1, lg0300.Stderr);
        string.Join('\n', lg0300.Stderr.Split('\n').Where(l => !l.StartsWith("progress: ", StringComparison.Ordinal))).ShouldStartWith(impossible + "(8,");
        lg0300.Stderr.ShouldContain("error LG0300");
    }

    [Fact]
    public void Item15_a_ten_mistake_manifest_reports_ten()
    {
        using var fleet = new TempFolder("examples/fleet");
        var manifest = fleet.File("ten.yaml");
        File.WriteAllText(manifest, """
            version: 2
            space: ofa-mbv3-w9
            model:
              arch: model/missing.json
            defaults:
              confidence: 1.5
            devices:
              - name: a
                budget_ms: -1
                predictor:
                  lut: luts/none
              - name: A
                budget_ms: 10
                predictor:
                  lut: luts/phone-big
              - name: b
                budget_ms: 10
                predictr:
                  lut: luts/phone-big
              - name: c
                budget_ms: "10"
                predictor:
                  file: predictors/none.safetensors
            """);
        var result = Hostile.Run("check", "-m", manifest);
        result.ExitCode.ShouldBe(2);
        var errors = result.Stderr.Split('\n').Where(l => l.Contains(": error LG", StringComparison.Ordinal)).ToArray();
        errors.Length.ShouldBe(10, result.Stderr);
        errors.ShouldContain(l => l.StartsWith(manifest + "(12,", StringComparison.Ordinal) && l.Contains("error LG0404", StringComparison.Ordinal));
    }

    /// <summary>
    /// Each input gives the code the docs list for it, and the docs row of that code names the case:
    /// a code changed in either place fails here (the class of issue 18 item 16).
    /// </summary>
    [Theory]
    [InlineData("tiny-predictor", "LG0042", "under 9 bytes")]
    [InlineData("bad-csv-row", "LG0431", "quoting the file's own diagnostic")]
    [InlineData("infinite-sweep", "LG0907", "1:Infinity:3")]
    [InlineData("negative-threads", "LG0902", "--threads -1")]
    [InlineData("nul-in-manifest", "LG0400", "NUL character")]
    [InlineData("floor-with-macs", "LG0433", "MACs proxy")]
    public void Item16_codes_agree_with_the_docs(string input, string code, string documented)
    {
        using var fleet = new TempFolder("examples/fleet");
        var result = input switch
        {
            "tiny-predictor" => TinyPredictor(fleet),
            "bad-csv-row" => BadCsvRow(fleet),
            "infinite-sweep" => Hostile.Run("search", "-m", Hostile.LutManifest(fleet, extra: "search: {population: 10, generations: 2}"), "--sweep", "1:Infinity:3"),
            "negative-threads" => Hostile.Run("check", "-m", fleet.File("latency-gate.yaml"), "--threads", "-1"),
            "nul-in-manifest" => Hostile.Run("check", "-m", WithText(fleet, File.ReadAllText(fleet.File("latency-gate.yaml")).Replace("space: ofa-mbv3-w1.2", "space: ofa-mbv3-w1.2\0garbage", StringComparison.Ordinal))),
            _ => Hostile.Run("check", "-m", Hostile.LutManifest(fleet, extra: "search: {population: 10, generations: 2, accuracy_floor: 0.7}")),
        };
        result.ShouldFailWith(code);
        var docs = File.ReadAllText(Path.Combine(ReferenceData.RepositoryRoot, "docs", "diagnostics.md"));
        var row = Regex.Match(docs, $@"^\| {code} \|(.*)$", RegexOptions.Multiline);
        row.Success.ShouldBeTrue(code + " is documented");
        row.Groups[1].Value.ShouldContain(documented, customMessage: $"docs/diagnostics.md's {code} row describes this case");
    }

    [Fact]
    public void Item17_decisions_nul_floor_with_macs_and_negative_threads()
    {
        using var fleet = new TempFolder("examples/fleet");
        var nul = Hostile.Run("check", "-m", WithText(fleet, "version: 1\nspace: ofa-mbv3-w1.2\0\n")).ShouldFailWith("LG0400");
        nul.ShouldContain("(2,21)");
        Hostile.Run("check", "-m", Hostile.LutManifest(fleet, extra: "search: {population: 10, generations: 2, accuracy_floor: 0.7}")).ShouldFailWith("LG0433");
        Hostile.Run("check", "-m", fleet.File("latency-gate.yaml"), "--threads", "-1").ShouldFailWith("LG0902");
        Hostile.Run("search", "-m", fleet.File("latency-gate.yaml"), "--threads", "-3").ShouldFailWith("LG0902");
    }

    private static (int, string, string) TinyPredictor(TempFolder fleet)
    {
        var tiny = fleet.File("tiny.safetensors");
        File.WriteAllBytes(tiny, new byte[8]);
        return Hostile.Run("predict", "--space", Hostile.Space, "--predictor", tiny, "--arch", fleet.File("model/arch.json"));
    }

    private static (int, string, string) BadCsvRow(TempFolder fleet)
    {
        File.AppendAllText(fleet.File("data/phone-mid.csv"), "\"{'ks': [3]}\",1\n");
        return Hostile.Run("check", "-m", fleet.File("latency-gate.yaml"));
    }

    private static string WithText(TempFolder fleet, string text)
    {
        var path = fleet.File("text.yaml");
        File.WriteAllText(path, text);
        return path;
    }
}
