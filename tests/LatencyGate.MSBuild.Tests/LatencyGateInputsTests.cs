using LatencyGate.MSBuild;
using Shouldly;
using Xunit;

namespace LatencyGate.Tests;

public sealed class LatencyGateInputsTests : IDisposable
{
    private readonly TempDirectory _dir = new("lg-inputs");
    private readonly FakeBuildEngine _engine;

    public LatencyGateInputsTests() => _engine = new FakeBuildEngine(_dir.Combine("App.csproj"));

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Lists_what_the_core_resolves_once_each()
    {
        var manifest = _dir.Write("latency-gate.yaml", "version: 1\n");
        var arch = _dir.Write("arch.json", "{}");
        var task = new LatencyGateInputs
        {
            BuildEngine = _engine,
            Manifest = manifest,
            Resolve = m => [m, arch, arch],
        };

        task.Execute().ShouldBeTrue();

        task.Inputs.Select(i => i.ItemSpec).ShouldBe([manifest, arch]);
    }

    [Fact]
    public void A_referenced_folder_stands_for_every_file_in_it()
    {
        // The real resolver: a folder's timestamp only moves when entries come or go, so an edited
        // table inside it must be an input of its own.
        var manifest = _dir.Write("latency-gate.yaml", """
            version: 1
            space: ofa-mbv3-w1.2
            search: {}
            devices:
              - name: phone
                budget_ms: 20
                predictor:
                  lut: lut
            """);
        var a = _dir.Write("lut/160_lookup_table.yaml", "a");
        var b = _dir.Write("lut/sub/224_lookup_table.yaml", "b");
        var task = new LatencyGateInputs { BuildEngine = _engine, Manifest = manifest };

        task.Execute().ShouldBeTrue();

        task.Inputs.Select(i => i.ItemSpec).ShouldBe(new[] { manifest, a, b }.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void The_real_resolver_includes_the_manifest_itself()
    {
        var manifest = _dir.Write("latency-gate.yaml", "version: 1\n");
        var task = new LatencyGateInputs { BuildEngine = _engine, Manifest = manifest };

        task.Execute().ShouldBeTrue();

        task.Inputs.Select(i => i.ItemSpec).ShouldContain(manifest);
        _engine.Errors.ShouldBeEmpty();
    }

    [Fact]
    public void A_resolver_failure_falls_back_to_the_manifest_without_failing_the_build()
    {
        var manifest = _dir.Combine("latency-gate.yaml");
        var task = new LatencyGateInputs
        {
            BuildEngine = _engine,
            Manifest = manifest,
            Resolve = _ => throw new IOException("locked"),
        };

        task.Execute().ShouldBeTrue();

        task.Inputs.Select(i => i.ItemSpec).ShouldBe([manifest]);
        _engine.Errors.ShouldBeEmpty();
    }
}
