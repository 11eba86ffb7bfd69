using Shouldly;
using Xunit;

namespace LatencyGate.Tests.EndToEnd;

/// <summary>
/// Builds copies of examples/GatedApp against the packed LatencyGate.MSBuild with `dotnet build`.
/// These need no verdict from the gate: they pin down the targets (when the gate runs at all,
/// incrementality, coded errors from the host).
/// </summary>
[Collection(E2ECollection.Name)]
[Trait("Category", "EndToEnd")]
public sealed class GatedAppBuildTests(PackageFixture fixture)
{
    [Fact]
    public void The_gate_stays_out_without_a_manifest_when_disabled_and_in_design_time_builds()
    {
        var app = fixture.CopyExample("no-gate");
        File.Delete(Path.Combine(app, "latency-gate.yaml"));

        var withoutManifest = fixture.Build(app);
        withoutManifest.ExitCode.ShouldBe(0, withoutManifest.ToString());
        BuildOutput.GateRan(withoutManifest).ShouldBeFalse(withoutManifest.ToString());
        // Not silent: a newcomer who added the package learns why nothing was gated and what to do.
        withoutManifest.Output.ShouldContain("LatencyGate: no latency-gate.yaml beside GatedApp.csproj, so no latency budget was checked. Write one with 'dotnet latency-gate init'");

        // A manifest that would fail the build if the gate ran.
        File.WriteAllText(Path.Combine(app, "latency-gate.yaml"), "version: [\n");
        var disabled = fixture.Build(app, "-p:LatencyGateEnabled=false");
        disabled.ExitCode.ShouldBe(0, disabled.ToString());
        BuildOutput.GateRan(disabled).ShouldBeFalse(disabled.ToString());
        disabled.Output.ShouldNotContain("no latency-gate.yaml beside");

        var designTime = fixture.Build(app, "-p:DesignTimeBuild=true");
        designTime.ExitCode.ShouldBe(0, designTime.ToString());
        BuildOutput.GateRan(designTime).ShouldBeFalse(designTime.ToString());
    }

    [Fact]
    public void A_manifest_named_but_missing_is_LG0600_without_MSBuild_noise()
    {
        var app = fixture.CopyExample("missing-manifest");

        var result = fixture.Build(app, "-p:LatencyGateManifest=nope.yaml");

        result.ExitCode.ShouldBe(1, result.ToString());
        var error = BuildOutput.LgErrors(result).ShouldHaveSingleItem(result.ToString());
        error.Groups["code"].Value.ShouldBe("LG0600");
        error.Groups["file"].Value.ShouldBe(Path.Combine(app, "GatedApp.csproj"));
        error.Groups["message"].Value.ShouldContain(Path.Combine(app, "nope.yaml"));
        BuildOutput.ShouldHaveNoMsbuildNoise(result);
    }

    [Fact]
    public void The_target_is_skipped_while_its_stamp_is_newer_than_every_input_and_runs_again_when_one_changes()
    {
        var app = fixture.CopyExample("incremental");
        var manifest = Path.Combine(app, "latency-gate.yaml");
        File.WriteAllText(manifest, "version: [\n");

        var first = fixture.Build(app);
        first.ExitCode.ShouldBe(1, first.ToString());
        BuildOutput.GateRan(first).ShouldBeTrue(first.ToString());
        var stamp = Path.Combine(app, "obj", "Debug", "latency-gate", "latency-gate.stamp");
        File.Exists(stamp).ShouldBeFalse("a failed gate leaves no stamp");

        // What a passing gate leaves behind (the task writes it; see LatencyGateTaskTests).
        File.WriteAllText(stamp, string.Empty);
        var second = fixture.Build(app);
        second.ExitCode.ShouldBe(0, second.ToString());
        second.Output.ShouldContain(BuildOutput.SkippedAsUpToDate);
        BuildOutput.GateRan(second).ShouldBeFalse(second.ToString());

        File.SetLastWriteTimeUtc(manifest, DateTime.UtcNow.AddSeconds(5));
        var third = fixture.Build(app);
        third.ExitCode.ShouldBe(1, third.ToString());
        BuildOutput.GateRan(third).ShouldBeTrue(third.ToString());
        third.Output.ShouldNotContain(BuildOutput.SkippedAsUpToDate);
    }
}
