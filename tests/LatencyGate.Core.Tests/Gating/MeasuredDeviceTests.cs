using LatencyGate.Diagnostics;
using LatencyGate.Gating;
using LatencyGate.Measuring;
using LatencyGate.Networks;
using LatencyGate.Workflows;
using Shouldly;
using Xunit;

namespace LatencyGate.Tests.Gating;

/// <summary>
/// Gates on a measured device (manifest <c>measure:</c>). The runtime here burns 1 ms and 3 ms of
/// CPU time in turn, so the median is 2 ms and the interval of the median spans about 1–3 ms
/// whatever the load: budgets far above, far below and at the median give pass, fail and
/// inconclusive without depending on how busy the machine is.
/// </summary>
public sealed class MeasuredDeviceTests : IDisposable
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("lg-measured-");

    public void Dispose() => _dir.Delete(recursive: true);

    [Theory]
    [InlineData(50, "fail", "Pass", ExitCode.Success, null)]
    [InlineData(0.2, "fail", "Fail", ExitCode.GateFailed, "LG0500")]
    [InlineData(2, "fail", "Fail", ExitCode.GateFailed, "LG0508")]
    [InlineData(2, "warn", "Warn", ExitCode.Success, "LG0508")]
    public void Budget_against_the_measured_interval_gives_pass_fail_or_inconclusive(double budget, string inconclusive, string verdictName, ExitCode exit, string? code)
    {
        var verdict = Enum.Parse<Verdict>(verdictName);
        var outcome = GateRunner.Check(Request(budget, inconclusive, runtimes: Registry()));
        var result = outcome.Result.ShouldNotBeNull(string.Join("\n", outcome.Diagnostics));
        var device = result.Devices.Single();
        device.Verdict.ShouldBe(verdict);
        result.ExitCode.ShouldBe(exit);
        device.Measured.ShouldNotBeNull();
        device.Measured.Inconclusive.ShouldBe(budget == 2);
        device.Estimate!.Value.Ms.ShouldBe(2, 0.5, device.Measured.Measurement.ToString());
        device.Estimate.Value.LowerMs.ShouldBeLessThan(1.6);
        device.Estimate.Value.UpperMs.ShouldBeGreaterThan(2.4);
        device.Measured.Measurement.Unstable.ShouldBeTrue("a 1–3 ms interval is wider than 10 % of the median: retried, then flagged");
        var findings = GateFindings.For(result).Select(d => d.Code).Where(c => c != "LG0511").ToArray();
        if (code is null)
        {
            findings.ShouldBeEmpty();
        }
        else
        {
            findings.ShouldBe([code]);
        }
    }

    [Fact]
    public void A_host_without_runtimes_names_the_cli()
    {
        var outcome = GateRunner.Check(Request(50, "fail", runtimes: null));
        outcome.ExitCode.ShouldBe(ExitCode.InvalidInput);
        outcome.Diagnostics.Select(d => d.Code).ShouldContain("LG0510");
    }

    [Fact]
    public void An_unknown_runtime_is_reported_at_its_manifest_line()
    {
        var outcome = GateRunner.Check(Request(50, "fail", runtimes: new RuntimeRegistry().Register("onnxruntime", () => new AlternatingBurn())));
        outcome.ExitCode.ShouldBe(ExitCode.InvalidInput);
        var d = outcome.Diagnostics.Single(x => x.Code == "LG0800");
        d.Location!.Line.ShouldBe(9);
    }

    [Fact]
    public void Search_with_a_measured_device_needs_a_predictor_to_search_with()
    {
        var path = Path.Combine(_dir.FullName, "search.yaml");
        File.WriteAllText(path, "version: 1\nspace: ofa-mbv3-w1.0\naccuracy: macs\nsearch: {resolutions: [128]}\ndevices:\n  - name: here\n    budget_ms: 5\n    predictor:\n      measure: {runtime: burn}\n");
        var outcome = GateRunner.Check(new CheckRequest(path) { WriteReports = false, Measurer = new InProcessMeasurer(Registry()) });
        outcome.ExitCode.ShouldBe(ExitCode.InvalidInput);
        outcome.Diagnostics.Select(d => d.Code).ShouldContain("LG0509");
    }

    private static RuntimeRegistry Registry() => new RuntimeRegistry().Register("burn", () => new AlternatingBurn());

    private CheckRequest Request(double budget, string inconclusive, RuntimeRegistry? runtimes)
    {
        var manifest = MeasuredManifest.Write(_dir.FullName, budget, $"{{runtime: burn, warmup: 0, runs: 8, passes: 2, inconclusive: {inconclusive}}}");
        return new CheckRequest(manifest) { WriteReports = false, Measurer = runtimes is null ? null : new InProcessMeasurer(runtimes) };
    }

    /// <summary>Each run burns 1 ms, then 3 ms, of this process's CPU time.</summary>
    private sealed class AlternatingBurn : IMeasurementRuntime
    {
        public string Name => "burn";

        public string Version => "1";

        public IPreparedNetwork Prepare(Network network, int batchSize, int threads, ulong seed) => new Prepared();

        private sealed class Prepared : IPreparedNetwork
        {
            private int _runs;

            public void RunOnce()
            {
                var ms = _runs++ % 2 == 0 ? 1.0 : 3.0;
                var start = CpuClock.ThreadNowMs();
                while (CpuClock.ThreadNowMs() - start < ms)
                {
                }
            }

            public void Dispose()
            {
            }
        }
    }
}
