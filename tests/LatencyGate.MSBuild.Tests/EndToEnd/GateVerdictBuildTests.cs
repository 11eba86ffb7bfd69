using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using Shouldly;
using Xunit;

namespace LatencyGate.Tests.EndToEnd;

/// <summary>
/// `dotnet build` of GatedApp with a real verdict from the gate, on the example's bundled synthetic
/// data: a phone's lookup tables and an edge NPU adapted from them (the `proxy` source, so an
/// adapted predictor is built and cached).
/// </summary>
[Collection(E2ECollection.Name)]
[Trait("Category", "EndToEnd")]
public sealed class GateVerdictBuildTests(PackageFixture fixture)
{
    [Fact]
    public void In_budget_builds_succeed_and_an_unchanged_rebuild_skips_the_gate()
    {
        var app = fixture.CopyExample("in-budget");

        var first = fixture.Build(app);
        first.ExitCode.ShouldBe(0, first.ToString());
        BuildOutput.GateRan(first).ShouldBeTrue(first.ToString());
        BuildOutput.LgErrors(first).ShouldBeEmpty(first.ToString());
        first.Output.ShouldContain("PASS  phone: ", Case.Sensitive, first.ToString());
        first.Output.ShouldContain("PASS  edge-npu: ", Case.Sensitive, first.ToString());
        first.Output.ShouldContain("Latency report: ", Case.Sensitive, "the reports reach later targets as LatencyGateReport items");
        BuildOutput.ShouldHaveNoMsbuildNoise(first);

        var second = fixture.Build(app);
        second.ExitCode.ShouldBe(0, second.ToString());
        second.Output.ShouldContain(BuildOutput.SkippedAsUpToDate);
        BuildOutput.GateRan(second).ShouldBeFalse(second.ToString());
        second.Output.ShouldContain("Latency report: ", Case.Sensitive, "the items survive a skipped gate");
    }

    [Fact]
    public void Over_budget_fails_with_an_LG_error_naming_the_device_and_figures_at_the_budget_line()
    {
        var app = fixture.CopyExample("over-budget");
        var manifest = Path.Combine(app, "latency-gate.over-budget.yaml");
        var lines = File.ReadAllLines(manifest);
        var budgetIndex = Array.FindIndex(lines, l => l.TrimStart().StartsWith("budget_ms: 8", StringComparison.Ordinal));
        budgetIndex.ShouldBeGreaterThan(0, "the over-budget manifest gives edge-npu 8 ms");
        var budgetColumn = lines[budgetIndex].IndexOf('8', StringComparison.Ordinal) + 1;

        var result = fixture.Build(app, "-p:LatencyGateManifest=latency-gate.over-budget.yaml");

        result.ExitCode.ShouldBe(1, result.ToString());
        var errors = BuildOutput.LgErrors(result);
        errors.ShouldAllBe(e => e.Groups["file"].Value == manifest, result.ToString());
        var error = errors.ShouldHaveSingleItem(result.ToString());
        error.Groups["code"].Value.ShouldBe("LG0500");
        error.Groups["line"].Value.ShouldBe((budgetIndex + 1).ToString(CultureInfo.InvariantCulture), result.ToString());
        error.Groups["col"].Value.ShouldBe(budgetColumn.ToString(CultureInfo.InvariantCulture), result.ToString());
        var message = error.Groups["message"].Value;
        message.ShouldContain("device 'edge-npu'");
        message.ShouldMatch(@"gated latency (\d+\.\d\d) ms \(upper end of the 90% interval \d+\.\d\d–\1 ms, conformal; predicted \d+\.\d\d ms\) is over its budget of 8\.00 ms");
        BuildOutput.ShouldHaveNoMsbuildNoise(result);
        File.Exists(Path.Combine(app, "obj", "Debug", "latency-gate", "latency-gate.stamp")).ShouldBeFalse("a failed gate leaves no stamp, so the next build checks again");
    }

    [Fact]
    public void A_measured_device_is_measured_by_the_tool_out_of_process_when_the_build_names_it()
    {
        var app = fixture.CopyExample("measured");
        File.WriteAllText(Path.Combine(app, "latency-gate.measured.yaml"), """
            version: 1
            space: ofa-mbv3-w1.2
            model:
              arch: model.arch.json
            devices:
              - name: this-machine
                budget_ms: 10000
                predictor:
                  measure: {runtime: onnxruntime, warmup: 1, runs: 5, passes: 1}

            """);

        var without = fixture.Build(app, "-p:LatencyGateManifest=latency-gate.measured.yaml");
        without.ExitCode.ShouldBe(1, without.ToString());
        BuildOutput.LgErrors(without).ShouldHaveSingleItem(without.ToString()).Groups["code"].Value.ShouldBe("LG0510");

        var measured = fixture.Build(app, "-p:LatencyGateManifest=latency-gate.measured.yaml", "-p:LatencyGateMeasureCommand=" + BuiltTool.Command);
        measured.ExitCode.ShouldBe(0, measured.ToString());
        BuildOutput.LgErrors(measured).ShouldBeEmpty(measured.ToString());
        measured.Output.ShouldContain("PASS  this-machine: ", Case.Sensitive, measured.ToString());
        measured.Output.ShouldContain("LatencyGate: measure: measuring 1 archs", Case.Sensitive, "the tool's own lines reach the build log");
    }

    [Fact]
    public void A_broken_manifest_gives_every_LG_error_with_its_position_and_no_MSBuild_noise()
    {
        var app = fixture.CopyExample("broken-manifest");
        var manifest = Path.Combine(app, "latency-gate.yaml");
        File.WriteAllText(manifest, """
            version: 1
            space: ofa-mbv3-w9
            model:
              arch: model.arch.json
            devices:
              - name: phone
                budget_ms: -5
                predictor:
                  lut: does-not-exist
            """.Replace("\r\n", "\n", StringComparison.Ordinal));

        var result = fixture.Build(app);

        result.ExitCode.ShouldBe(1, result.ToString());
        var errors = BuildOutput.LgErrors(result);
        errors.Count.ShouldBeGreaterThanOrEqualTo(2, "every manifest error in one run: " + result);
        errors.ShouldAllBe(e => e.Groups["file"].Value == manifest && e.Groups["line"].Success && e.Groups["col"].Success);
        errors.Select(e => e.Groups["line"].Value).ShouldContain("2", "the unknown space");
        errors.Select(e => e.Groups["line"].Value).ShouldContain("7", "the negative budget");
        BuildOutput.ShouldHaveNoMsbuildNoise(result);
    }

    [Fact]
    public void Two_projects_built_in_parallel_share_one_cache_without_corrupting_it()
    {
        var a = fixture.CopyExample(Path.Combine("parallel", "A"));
        var b = fixture.CopyExample(Path.Combine("parallel", "B"));
        File.Move(Path.Combine(a, "GatedApp.csproj"), Path.Combine(a, "AppA.csproj"));
        File.Move(Path.Combine(b, "GatedApp.csproj"), Path.Combine(b, "AppB.csproj"));
        var root = Path.GetDirectoryName(a)!;
        File.WriteAllText(Path.Combine(root, "nuget.config"), File.ReadAllText(Path.Combine(a, "nuget.config")));
        File.WriteAllText(Path.Combine(root, "Both.slnx"), """
            <Solution>
              <Project Path="A/AppA.csproj" />
              <Project Path="B/AppB.csproj" />
            </Solution>
            """);
        var cache = Path.Combine(root, "shared-cache");

        var result = fixture.Build(root, "Both.slnx", "-m:2", $"-p:LatencyGateCacheDirectory={cache}");

        result.ExitCode.ShouldBe(0, result.ToString());
        BuildOutput.LgErrors(result).ShouldBeEmpty(result.ToString());
        result.Output.ShouldNotContain("warning LG", Case.Sensitive, "no corrupt-entry or unwritable-cache warning: " + result);
        foreach (var app in new[] { a, b })
        {
            File.Exists(Path.Combine(app, "obj", "Debug", "latency-gate", "latency-gate.stamp")).ShouldBeTrue($"{app} passed the gate\n{result}");
            Directory.Exists(Path.Combine(app, ".latency-gate")).ShouldBeFalse("the cache went to LatencyGateCacheDirectory, not beside the manifest");
        }

        // The two gates built the same adapted predictor (edge-npu, from phone's tables) at the same
        // time: one entry, complete and self-consistent, and no temp file left behind.
        Directory.Exists(cache).ShouldBeTrue("the proxy adaptation is cached\n" + result);
        var files = Directory.EnumerateFiles(cache, "*", SearchOption.AllDirectories).ToList();
        files.ShouldNotContain(f => f.EndsWith(".tmp", StringComparison.OrdinalIgnoreCase), "no half-written entry left behind");
        var entry = files.ShouldHaveSingleItem("one adapted predictor, one entry: " + string.Join(", ", files));
        ShouldBeACompleteEntry(entry);

        // A's verdict with the entry B (or A) wrote: a fresh gate run reads it instead of adapting again.
        File.SetLastWriteTimeUtc(Path.Combine(a, "latency-gate.yaml"), DateTime.UtcNow.AddSeconds(5));
        var again = fixture.Build(a, $"-p:LatencyGateCacheDirectory={cache}");
        again.ExitCode.ShouldBe(0, again.ToString());
        BuildOutput.GateRan(again).ShouldBeTrue(again.ToString());
        using var report = JsonDocument.Parse(File.ReadAllText(Path.Combine(a, "obj", "Debug", "latency-gate", "latency-gate.json")));
        var npu = report.RootElement.GetProperty("devices").EnumerateArray().Single(d => d.GetProperty("name").GetString() == "edge-npu");
        npu.GetProperty("verdict").GetString().ShouldBe("pass");
        npu.GetProperty("notes").EnumerateArray().Select(n => n.GetString()).ShouldContain(
            n => n!.Contains(Path.GetFileName(entry), StringComparison.Ordinal),
            "the warm build says it loaded the cached adaptation: " + npu.GetRawText());
        Directory.EnumerateFiles(cache, "*", SearchOption.AllDirectories).ShouldBe(files, "a hit writes nothing");
    }

    /// <summary>The cache's entry format (docs/cache.md): magic, SHA-256 of the key, payload length, SHA-256 of the payload, payload.</summary>
    private static void ShouldBeACompleteEntry(string path)
    {
        var bytes = File.ReadAllBytes(path);
        bytes.Length.ShouldBeGreaterThan(80, path);
        bytes.AsSpan(0, 8).SequenceEqual("LGCACHE2"u8).ShouldBeTrue(path + " starts with the entry magic");
        var key = Path.GetFileNameWithoutExtension(path);
        bytes.AsSpan(8, 32).SequenceEqual(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(key))).ShouldBeTrue(path + " names its own key");
        BinaryPrimitives.ReadInt64LittleEndian(bytes.AsSpan(40, 8)).ShouldBe(bytes.Length - 80L, path + " is not truncated");
        SHA256.HashData(bytes.AsSpan(80)).AsSpan().SequenceEqual(bytes.AsSpan(48, 32)).ShouldBeTrue(path + " matches its checksum");
    }
}
