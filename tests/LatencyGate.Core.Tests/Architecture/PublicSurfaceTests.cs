using LatencyGate.Diagnostics;
using LatencyGate.Gating;
using LatencyGate.Workflows;
using Shouldly;
using Xunit;

namespace LatencyGate.Tests.Architecture;

/// <summary>
/// Core is internal to the hosts and tests (InternalsVisibleTo) but for a small embedding API
/// (docs/architecture.md#public-surface), frozen by PublicAPI.Shipped.txt.
/// </summary>
public sealed class PublicSurfaceTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("lg-public-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Core_exports_only_the_embedding_api()
    {
        typeof(GateRunner).Assembly.GetExportedTypes().Select(t => t.FullName).Order(StringComparer.Ordinal).ShouldBe(
        [
            "LatencyGate.Diagnostics.Diagnostic",
            "LatencyGate.Diagnostics.DiagnosticSeverity",
            "LatencyGate.Diagnostics.ExitCode",
            "LatencyGate.Diagnostics.SourceLocation",
            "LatencyGate.Diagnostics.WorkProgress",
            "LatencyGate.Gating.CheckOutcome",
            "LatencyGate.Gating.DeviceVerdict",
            "LatencyGate.Gating.Verdict",
            "LatencyGate.Workflows.CheckRequest",
            "LatencyGate.Workflows.GateRunner",
        ]);
    }

    [Fact]
    public void An_embedder_sees_each_devices_verdict()
    {
        File.WriteAllText(Path.Combine(_dir, "arch.json"), """{"ks": [3,3,3,3,3,3,3,3,3,3,3,3,3,3,3,3,3,3,3,3], "e": [3,3,3,3,3,3,3,3,3,3,3,3,3,3,3,3,3,3,3,3], "d": [2,2,2,2,2], "r": [160]}""");
        var manifest = Path.Combine(_dir, "latency-gate.yaml");
        File.WriteAllText(manifest, """
            version: 1
            space: ofa-mbv3-w1.2
            model:
              arch: arch.json
            devices:
              - name: roomy
                budget_ms: 1000
                predictor:
                  lut: builtin:note10
              - name: tight
                budget_ms: 1
                predictor:
                  lut: builtin:note10
            """);

        var outcome = GateRunner.Check(new CheckRequest(manifest) { WriteReports = false, CacheDirectory = Path.Combine(_dir, "cache") });

        outcome.ExitCode.ShouldBe(ExitCode.GateFailed, string.Join("\n", outcome.Diagnostics));
        outcome.Devices.Select(d => (d.Device, d.Verdict)).ShouldBe([("roomy", Verdict.Pass), ("tight", Verdict.Fail)]);
        var tight = outcome.Devices[1];
        tight.BudgetMs.ShouldBe(1);
        tight.GatedMs.ShouldNotBeNull().ShouldBeGreaterThan(1);
        tight.GatedMs.ShouldBe(outcome.Devices[0].GatedMs, "the same arch on the same tables");
        tight.Predictor.ShouldNotBeNullOrWhiteSpace();
        tight.LowerMs.ShouldBeNull("a lookup table has no uncertainty model: no zero-width interval, as in the JSON report");
        tight.UpperMs.ShouldBeNull();
    }
}
