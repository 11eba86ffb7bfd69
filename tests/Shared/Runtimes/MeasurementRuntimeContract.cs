using LatencyGate.Measuring;
using LatencyGate.Networks;
using LatencyGate.Spaces;
using Shouldly;
using Xunit;

namespace LatencyGate.Tests.Runtimes;

/// <summary>
/// What every measuring runtime must do, whatever it is built on. A runtime's test project
/// subclasses this once (ONNX Runtime, TorchSharp, …). Small networks and few runs: the suite stays fast.
/// </summary>
public abstract class MeasurementRuntimeContract
{
    private static readonly MeasurementProtocol Quick = new(Warmup: 1, Runs: 3, Passes: 2, MaxRetries: 1, Tolerance: 10);

    private protected abstract IMeasurementRuntime CreateRuntime();

    /// <summary>Runs once and returns the output values (to check shape and finiteness).</summary>
    private protected abstract float[] RunAndReadOutput(IPreparedNetwork prepared);

    private protected static Arch Smallest(int resolution = 128) =>
        Arch.Create(Enumerable.Repeat(3, 20).ToArray(), Enumerable.Repeat(3, 20).ToArray(), [2, 2, 2, 2, 2], resolution);

    private protected static Arch Largest(int resolution = 224) =>
        Arch.Create(Enumerable.Repeat(7, 20).ToArray(), Enumerable.Repeat(6, 20).ToArray(), [4, 4, 4, 4, 4], resolution);

    [Fact]
    public void Names_itself_and_its_version()
    {
        var runtime = CreateRuntime();
        runtime.Name.ShouldNotBeNullOrWhiteSpace();
        runtime.Name.ShouldBe(runtime.Name.ToLowerInvariant());
        runtime.Version.ShouldNotBeNullOrWhiteSpace();
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public void A_prepared_network_returns_finite_logits_for_the_whole_batch(int batch)
    {
        var network = OfaNetwork.Build(Smallest(), OfaSpace.W10);
        using var prepared = CreateRuntime().Prepare(network, batch, threads: 1, seed: 7);
        var output = RunAndReadOutput(prepared);
        output.Length.ShouldBe(batch * 1000);
        output.ShouldAllBe(v => float.IsFinite(v));
        output.Distinct().Count().ShouldBeGreaterThan(100);
        RunAndReadOutput(prepared).ShouldBe(output);
    }

    [Fact]
    public void Measuring_gives_ordered_positive_statistics_for_each_arch_once()
    {
        var archs = new[] { Smallest(), Smallest(132), Smallest() };
        var progress = new List<MeasureProgress>();
        var rows = new MeasurementRun(CreateRuntime(), OfaSpace.W10, Quick).Measure(archs, progress: progress.Add);
        rows.Count.ShouldBe(2);
        progress.Count.ShouldBe(4);
        progress.Select(p => p.Pass).ShouldBe([0, 0, 1, 1]);
        foreach (var m in rows)
        {
            m.LatencyMs.ShouldBeGreaterThan(0);
            m.WallMs.ShouldBeGreaterThan(0);
            m.LowerMs.ShouldBeLessThanOrEqualTo(m.LatencyMs);
            m.UpperMs.ShouldBeGreaterThanOrEqualTo(m.LatencyMs);
            m.Q1Ms.ShouldBeLessThanOrEqualTo(m.LatencyMs);
            m.Q3Ms.ShouldBeGreaterThanOrEqualTo(m.LatencyMs);
            m.Runs.ShouldBe(6);
            m.Passes.ShouldBe(2);
            m.PrepareMs.ShouldBeGreaterThan(0);
        }
    }

    [Fact]
    public void A_rerun_into_the_same_file_resumes_without_measuring_or_writing_twice()
    {
        var dir = Directory.CreateTempSubdirectory("lg-contract-");
        try
        {
            var runtime = CreateRuntime();
            var path = Path.Combine(dir.FullName, "m.csv");
            var identity = MachineIdentity.ThisMachine(runtime, Quick.Threads, Quick.BatchSize);
            var files = new MeasurementFiles(path, OfaSpace.W10, Quick, identity);
            var first = new MeasurementRun(runtime, OfaSpace.W10, Quick).Measure([Smallest()], files);
            var progress = new List<MeasureProgress>();
            var second = new MeasurementRun(runtime, OfaSpace.W10, Quick).Measure([Smallest(), Smallest(136)], files, progress.Add);
            second[0].LatencyMs.ShouldBe(first[0].LatencyMs, 1e-4, "the finished arch is read back, not measured again");
            second[0].Runs.ShouldBe(first[0].Runs);
            progress.Count.ShouldBe(2);
            File.ReadAllLines(path).Length.ShouldBe(3);
            File.ReadAllLines(files.JournalPath).Length.ShouldBe(1 + second.Sum(m => m.Passes));
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Fact]
    public void An_anchored_run_times_the_reference_beside_every_run_and_resumes()
    {
        var dir = Directory.CreateTempSubdirectory("lg-contract-anchor-");
        try
        {
            var runtime = CreateRuntime();
            var protocol = Quick with { Anchored = true };
            var files = new MeasurementFiles(Path.Combine(dir.FullName, "m.csv"), OfaSpace.W10, protocol, MachineIdentity.ThisMachine(runtime, 1, 1));
            var first = new MeasurementRun(runtime, OfaSpace.W10, protocol).Measure([Smallest(132)], files);
            var journal = files.LoadJournal()[Smallest(132)];
            journal.Count.ShouldBeGreaterThanOrEqualTo(2);
            journal.ShouldAllBe(p => p.Anchored && p.RefCpuMs!.Count == protocol.Runs && p.RefCpuMs.All(v => v > 0));
            first[0].LatencyMs.ShouldBeGreaterThan(0);
            var second = new MeasurementRun(runtime, OfaSpace.W10, protocol).Measure([Smallest(132)], files);
            second[0].LatencyMs.ShouldBe(first[0].LatencyMs, 1e-4);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }
}
