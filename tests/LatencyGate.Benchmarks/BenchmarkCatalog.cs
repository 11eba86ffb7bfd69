namespace LatencyGate.Benchmarks;

/// <summary>Every benchmark, in run order; add one line per benchmark class.</summary>
internal static class BenchmarkCatalog
{
    public static IReadOnlyList<IAccuracyBenchmark> Accuracy { get; } =
    [
        new WithinDeviceBenchmark(),
        new CliFitBenchmark(),
        new CliFitBenchmark(dev: true),
        new OneProxyBenchmark(),
        new HelpProtocolBenchmark(),
        new Adaptation.TransferBenchmark(),
        new Adaptation.LibraryTransferBenchmark(),
        new Adaptation.LibraryTransferBenchmark(development: true),
        new Adaptation.HardwareGeneralizationBenchmark(),
        new Adaptation.HardwareGeneralizationBenchmark(dev: true),
        new FalsePassBenchmark(),
        new FalsePassDevBenchmark(),
        new MeasuredThisMachineBenchmark(),
        new MeasuredThisMachineDevBenchmark(),
        new EngineAccuracyBenchmark(),
        new RuntimeMonotonicityBenchmark(),
        new Transfer.NasflatFbnetBenchmark(),
        new Transfer.NasflatFbnetDevBenchmark(),
    ];

    public static IReadOnlyList<ISpeedBenchmark> Speed { get; } =
    [
        new LearningSpeedBenchmark(),
        new SearchSpeedBenchmark(),
        new GateSpeedBenchmark(),
        new AdaptationSpeedBenchmark(),
        new MeasureSpeedBenchmark(),
        new EngineSpeedBenchmark(),
        new RuntimeSpeedBenchmark(),
    ];
}
