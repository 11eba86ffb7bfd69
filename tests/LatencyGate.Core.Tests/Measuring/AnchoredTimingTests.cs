using LatencyGate.Measuring;
using LatencyGate.Networks;
using LatencyGate.Spaces;
using Shouldly;
using Xunit;

namespace LatencyGate.Tests.Measuring;

/// <summary>
/// The anchored protocol: each run of an arch is divided by the reference run next to it, so a slowdown
/// of the machine that hits both cancels. Synthetic samples (no timing): the arch costs exactly twice
/// the reference, and the machine runs at a speed that changes from run to run and pass to pass.
/// </summary>
public sealed class AnchoredTimingTests
{
    private static readonly Arch Arch = AnchorReference.For(OfaSpace.W12);

    private static PassTiming Pass(int pass, double[] slowdown, bool anchored)
    {
        var arch = slowdown.Select(s => 8.0 * s).ToArray();
        var reference = slowdown.Select(s => 4.0 * s).ToArray();
        return new PassTiming(pass, arch, arch, 100, anchored ? reference : null, anchored ? reference : null);
    }

    [Fact]
    public void A_slowdown_shared_by_arch_and_reference_cancels()
    {
        var protocol = new MeasurementProtocol(Runs: 4, Passes: 2, Anchored: true);
        var passes = new[] { Pass(0, [1.0, 1.3, 1.1, 1.2], true), Pass(1, [1.5, 1.4, 1.6, 1.45], true) };
        var m = TimingSummary.Summarize(Arch, passes, protocol, retries: 0, referenceMs: 5.0);
        m.LatencyMs.ShouldBe(10.0, 1e-12, "twice the reference's typical 5 ms, whatever the slowdown");
        m.LowerMs.ShouldBe(10.0, 1e-12);
        m.UpperMs.ShouldBe(10.0, 1e-12);
        m.PassSpreadPct.ShouldBe(0, 1e-9);
        m.Unstable.ShouldBeFalse();
        m.CpuMs.ShouldBe(8.0 * 1.35, 1e-9, "the raw CPU median stays in its own column");
    }

    [Fact]
    public void Without_a_reference_the_same_runs_carry_the_slowdown()
    {
        var protocol = new MeasurementProtocol(Runs: 4, Passes: 2);
        var passes = new[] { Pass(0, [1.0, 1.3, 1.1, 1.2], false), Pass(1, [1.5, 1.4, 1.6, 1.45], false) };
        var m = TimingSummary.Summarize(Arch, passes, protocol, retries: 0);
        m.LatencyMs.ShouldBe(8.0 * 1.35, 1e-9);
        m.PassSpreadPct.ShouldBeGreaterThan(20);
    }

    [Fact]
    public void The_anchor_is_part_of_the_settings_a_run_resumes_with()
    {
        new MeasurementProtocol().Fingerprint.ShouldNotContain("anchor");
        new MeasurementProtocol(Anchored: true).Fingerprint.ShouldEndWith(";anchor=smallest");
    }

    [Fact]
    public void The_journal_keeps_the_reference_runs_and_reads_passes_without_them()
    {
        var dir = Directory.CreateTempSubdirectory("lg-anchor-");
        try
        {
            var identity = new MachineIdentity("cpu", 2, "os", "fake", "1", 1, 1);
            var anchored = new MeasurementFiles(Path.Combine(dir.FullName, "a.csv"), OfaSpace.W12, new MeasurementProtocol(Runs: 3, Anchored: true), identity);
            anchored.Open();
            var pass = new PassTiming(0, [8, 9, 10], [8.5, 9.5, 10.5], 100, [4, 4.5, 5], [4.25, 4.75, 5.25]);
            anchored.AppendPass(Arch, pass);
            var back = anchored.LoadJournal()[Arch].ShouldHaveSingleItem();
            back.CpuMs.ShouldBe(pass.CpuMs);
            back.WallMs.ShouldBe(pass.WallMs);
            back.RefCpuMs.ShouldBe(pass.RefCpuMs);
            back.RefWallMs.ShouldBe(pass.RefWallMs);
            back.Latencies(TimingClock.Cpu, 5).ShouldBe([10, 10, 10]);

            var raw = new MeasurementFiles(Path.Combine(dir.FullName, "r.csv"), OfaSpace.W12, new MeasurementProtocol(Runs: 3), identity);
            raw.Open();
            raw.AppendPass(Arch, pass with { RefCpuMs = null, RefWallMs = null });
            File.ReadAllText(raw.JournalPath).ShouldNotContain("|");
            var rawBack = raw.LoadJournal()[Arch].ShouldHaveSingleItem();
            rawBack.Anchored.ShouldBeFalse();
            rawBack.Latencies(TimingClock.Cpu, 5).ShouldBe([8, 9, 10]);

            // A file measured without the anchor is not resumed with it (the settings differ).
            var resumed = new MeasurementFiles(raw.Path, OfaSpace.W12, new MeasurementProtocol(Runs: 3, Anchored: true), identity);
            resumed.Open();
            Should.Throw<LatencyGate.Diagnostics.LatencyGateException>(() => resumed.LoadJournal()).Diagnostics[0].Code.ShouldBe("LG0804");
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Fact]
    public void The_reference_is_warmed_once_then_timed_beside_every_timed_run_only()
    {
        var runtime = new CountingRuntime();
        var space = OfaSpace.W12;
        var a = Arch.Create(Enumerable.Repeat(5, Arch.SlotCount).ToArray(), Enumerable.Repeat(4, Arch.SlotCount).ToArray(), [3, 3, 3, 3, 3], 192, space);
        var b = Arch.Create(Enumerable.Repeat(7, Arch.SlotCount).ToArray(), Enumerable.Repeat(6, Arch.SlotCount).ToArray(), [4, 4, 4, 4, 4], 224, space);
        var protocol = new MeasurementProtocol(Warmup: 4, Runs: 3, Passes: 2, MaxRetries: 0, Anchored: true);
        new MeasurementRun(runtime, space, protocol).Measure([a, b]).Count.ShouldBe(2);

        var reference = OfaNetwork.Build(AnchorReference.For(space), space).Name;
        runtime.Prepared[reference].ShouldBe(1, "prepared once per command");
        runtime.Runs[reference].ShouldBe(4 + (2 * 2 * 3), "one warm-up, then one run beside each timed run of each arch in each pass");
        runtime.Runs[OfaNetwork.Build(a, space).Name].ShouldBe(2 * (4 + 3), "its own warm-up and timed runs in each pass");
        runtime.Runs[OfaNetwork.Build(b, space).Name].ShouldBe(2 * (4 + 3));
    }

    /// <summary>Counts preparations and runs per network; each run costs nothing.</summary>
    private sealed class CountingRuntime : IMeasurementRuntime
    {
        public Dictionary<string, int> Prepared { get; } = [];

        public Dictionary<string, int> Runs { get; } = [];

        public string Name => "counting";

        public string Version => "1";

        public IPreparedNetwork Prepare(Network network, int batchSize, int threads, ulong seed)
        {
            Prepared[network.Name] = Prepared.GetValueOrDefault(network.Name) + 1;
            return new Counted(() => Runs[network.Name] = Runs.GetValueOrDefault(network.Name) + 1);
        }

        private sealed class Counted(Action run) : IPreparedNetwork
        {
            public void RunOnce() => run();

            public void Dispose()
            {
            }
        }
    }
}
