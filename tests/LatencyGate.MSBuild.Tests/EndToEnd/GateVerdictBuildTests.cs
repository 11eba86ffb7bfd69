using Shouldly;
using Xunit;

namespace LatencyGate.Tests.EndToEnd;

/// <summary>
/// `dotnet build` of GatedApp with a real verdict from the gate (OFA's Note10 and Jetson GPU
/// lookup tables from the reference data). These fail, with a message saying so, until
/// GateRunner.Check is wired in main; they are not skipped.
/// </summary>
[Collection(E2ECollection.Name)]
[Trait("Category", "EndToEnd")]
[Trait("Needs", "Gate")]
public sealed class GateVerdictBuildTests(PackageFixture fixture)
{
    [ReferenceDataFact]
    public void In_budget_builds_succeed_and_an_unchanged_rebuild_skips_the_gate()
    {
        var app = fixture.CopyExample("in-budget");

        var first = fixture.Build(app);
        BuildOutput.ShouldHaveTheGate(first);
        first.ExitCode.ShouldBe(0, first.ToString());
        BuildOutput.GateRan(first).ShouldBeTrue(first.ToString());
        BuildOutput.LgErrors(first).ShouldBeEmpty(first.ToString());
        first.Output.ShouldContain("Latency report: ", Case.Sensitive, "the reports reach later targets as LatencyGateReport items");

        var second = fixture.Build(app);
        second.ExitCode.ShouldBe(0, second.ToString());
        second.Output.ShouldContain(BuildOutput.SkippedAsUpToDate);
        BuildOutput.GateRan(second).ShouldBeFalse(second.ToString());
        second.Output.ShouldContain("Latency report: ", Case.Sensitive, "the items survive a skipped gate");
    }

    [ReferenceDataFact]
    public void Over_budget_fails_with_an_LG_error_naming_the_device_and_figures_at_the_budget_line()
    {
        var app = fixture.CopyExample("over-budget");
        var manifest = Path.Combine(app, "latency-gate.over-budget.yaml");
        var budgetLine = Array.FindIndex(File.ReadAllLines(manifest), l => l.Contains("budget_ms: 20", StringComparison.Ordinal)) + 1;

        var result = fixture.Build(app, "-p:LatencyGateManifest=latency-gate.over-budget.yaml");

        BuildOutput.ShouldHaveTheGate(result);
        result.ExitCode.ShouldBe(1, result.ToString());
        var errors = BuildOutput.LgErrors(result);
        errors.ShouldAllBe(e => e.Groups["file"].Value == manifest, result.ToString());
        var error = errors.Where(e => e.Groups["message"].Value.Contains("note10", StringComparison.Ordinal)).ShouldHaveSingleItem(result.ToString());
        error.Groups["line"].Value.ShouldBe(budgetLine.ToString(System.Globalization.CultureInfo.InvariantCulture), result.ToString());
        error.Groups["col"].Success.ShouldBeTrue(result.ToString());
        var message = error.Groups["message"].Value;
        message.ShouldContain("note10");
        message.ShouldContain("20");
        message.ShouldMatch(@"24\.7\d*", "the Note10 lookup-table latency of OFA's tutorial network is 24.73 ms");
        BuildOutput.ShouldHaveNoMsbuildNoise(result);
    }

    [ReferenceDataFact]
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
              - name: note10
                budget_ms: -5
                predictor:
                  lut: does-not-exist
            """.Replace("\r\n", "\n", StringComparison.Ordinal));

        var result = fixture.Build(app);

        BuildOutput.ShouldHaveTheGate(result);
        result.ExitCode.ShouldBe(1, result.ToString());
        var errors = BuildOutput.LgErrors(result);
        errors.Count.ShouldBeGreaterThanOrEqualTo(2, "every manifest error in one run: " + result);
        errors.ShouldAllBe(e => e.Groups["file"].Value == manifest && e.Groups["line"].Success && e.Groups["col"].Success);
        errors.Select(e => e.Groups["line"].Value).ShouldContain("2", "the unknown space");
        errors.Select(e => e.Groups["line"].Value).ShouldContain("7", "the negative budget");
        BuildOutput.ShouldHaveNoMsbuildNoise(result);
    }

    [ReferenceDataFact]
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

        BuildOutput.ShouldHaveTheGate(result);
        result.ExitCode.ShouldBe(0, result.ToString());
        BuildOutput.LgErrors(result).ShouldBeEmpty(result.ToString());
        foreach (var app in new[] { a, b })
        {
            File.Exists(Path.Combine(app, "obj", "Debug", "latency-gate", "latency-gate.stamp")).ShouldBeTrue($"{app} passed the gate");
        }

        if (Directory.Exists(cache))
        {
            var files = Directory.EnumerateFiles(cache, "*", SearchOption.AllDirectories).ToList();
            files.ShouldAllBe(f => new FileInfo(f).Length > 0, "no truncated cache entry");
            files.ShouldNotContain(f => f.EndsWith(".tmp", StringComparison.OrdinalIgnoreCase), "no half-written entry left behind");
        }

        // The shared cache, now warm, serves a second build of one of them with the same verdict.
        File.SetLastWriteTimeUtc(Path.Combine(a, "latency-gate.yaml"), DateTime.UtcNow.AddSeconds(5));
        var again = fixture.Build(a, $"-p:LatencyGateCacheDirectory={cache}");
        again.ExitCode.ShouldBe(0, again.ToString());
        BuildOutput.GateRan(again).ShouldBeTrue(again.ToString());
    }
}
