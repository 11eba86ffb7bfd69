using LatencyGate.Monotonicity;

namespace LatencyGate.Benchmarks.Transfer;

/// <summary>
/// <c>nasflat-fbnet-dev</c>: the design comparison for the FBNet hard splits, on development tasks
/// built from the 8 device settings that no reported task tests on (GPUs at batch 32/64, the two Xeon
/// Silver CPUs, Pixel 3), NASFLAT's protocol, every method and shot selector on the same draws.
/// </summary>
internal sealed class NasflatFbnetDevBenchmark : IAccuracyBenchmark
{
    public const int Draws = 10;

    public string Name => "nasflat-fbnet-dev";

    public static IReadOnlyList<TransferMethod> Methods { get; } =
    [
        TransferMethod.NearestSource,
        TransferMethod.From(ProxyAdapters.ScratchStructural),
        TransferMethod.From(ProxyAdapters.AdaptiveStructuralProxy, legacy: true),
        TransferMethod.Tool,
    ];

    public IEnumerable<AccuracyRow> Run(BenchmarkContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        FbNetTasks.CheckDisjoint();
        var data = FbNetData.Load(context.DataPath("help", "fbnet", "fbnet_latency.csv"));
        var cells = FbNetTransferExperiment.Run(data, FbNetTasks.Development, TransferProtocol.Nasflat, [5, 10, 20], Draws, Methods, ShotSelection.All, context.Log);
        return TransferRows.From(Name, cells, FbNetTasks.Development);
    }
}
