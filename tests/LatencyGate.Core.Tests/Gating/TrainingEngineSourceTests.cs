using LatencyGate.Diagnostics;
using LatencyGate.Workflows;
using Shouldly;
using Xunit;

namespace LatencyGate.Tests.Gating;

/// <summary>
/// A manifest's <c>engine:</c> on the sources that train (finetune, proxy): an unknown name is LG0853
/// at its line, and a host without the engine (the MSBuild task: no resolver) refuses <c>torch</c>
/// with LG0855 at its line before any file is read.
/// </summary>
public sealed class TrainingEngineSourceTests : IDisposable
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("lg-engine-");

    public void Dispose() => _dir.Delete(recursive: true);

    [Theory]
    [InlineData("finetune: {base: base.safetensors, measurements: m.csv, strategy: head, engine: ENGINE}")]
    [InlineData("proxy: {device: other, measurements: m.csv, engine: ENGINE}")]
    public void Torch_in_a_host_with_the_managed_engine_only_is_LG0855_at_the_engine_line(string source)
    {
        var outcome = GateRunner.Check(new CheckRequest(Manifest(source.Replace("ENGINE", "torch", StringComparison.Ordinal))) { WriteReports = false });
        outcome.ExitCode.ShouldBe(ExitCode.InvalidInput);
        var error = outcome.Diagnostics.Single(d => d.Severity == DiagnosticSeverity.Error);
        error.Code.ShouldBe("LG0855", error.ToString());
        error.Location.ShouldNotBeNull();
        error.Location.Line.ShouldBe(12);
        error.Location.Column.ShouldBe(source.IndexOf("ENGINE", StringComparison.Ordinal) + 7);
        error.Message.ShouldContain("dotnet latency-gate check");
    }

    [Fact]
    public void An_unknown_engine_is_LG0853_at_its_line()
    {
        var outcome = GateRunner.Check(new CheckRequest(Manifest("finetune: {base: base.safetensors, measurements: m.csv, engine: tensorflow}")) { WriteReports = false });
        var error = outcome.Diagnostics.Single(d => d.Severity == DiagnosticSeverity.Error);
        error.Code.ShouldBe("LG0853", error.ToString());
        error.Location!.Line.ShouldBe(12);
        error.Message.ShouldContain("managed or torch");
    }

    [Fact]
    public void The_resolver_is_asked_for_the_named_engine_and_its_error_lands_on_the_engine_line()
    {
        var asked = new List<string>();
        var request = new CheckRequest(Manifest("finetune: {base: base.safetensors, measurements: m.csv, strategy: head, engine: torch}"))
        {
            WriteReports = false,
            TrainingEngines = (name, _) =>
            {
                asked.Add(name);
                throw new LatencyGateException("LG0850", "libtorch 2.10.0 is not on this machine");
            },
        };
        var error = GateRunner.Check(request).Diagnostics.Single(d => d.Severity == DiagnosticSeverity.Error);
        asked.ShouldBe(["torch"]);
        error.Code.ShouldBe("LG0850");
        error.Location!.Line.ShouldBe(12);
        error.Message.ShouldContain("engine 'torch'");
    }

    private string Manifest(string source)
    {
        File.WriteAllText(Path.Combine(_dir.FullName, "base.safetensors"), "not read: the engine is refused first");
        File.WriteAllText(Path.Combine(_dir.FullName, "m.csv"), "arch,latency_ms\n");
        File.WriteAllText(Path.Combine(_dir.FullName, "arch.json"), "{\"ks\": [3,3,3,3,3,3,3,3,3,3,3,3,3,3,3,3,3,3,3,3], \"e\": [3,3,3,3,3,3,3,3,3,3,3,3,3,3,3,3,3,3,3,3], \"d\": [2,2,2,2,2], \"r\": [192]}");
        var path = Path.Combine(_dir.FullName, "latency-gate.yaml");
        File.WriteAllText(path, string.Join('\n',
            "version: 1",
            "space: ofa-mbv3-w1.2",
            "accuracy: macs",
            "model: {arch: arch.json}",
            "devices:",
            "  - name: other",
            "    budget_ms: 100",
            "    predictor: {lut: builtin:note10}",
            "  - name: target",
            "    budget_ms: 100",
            "    predictor:",
            "      " + source,
            string.Empty));
        return path;
    }
}
