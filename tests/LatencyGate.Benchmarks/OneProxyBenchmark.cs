using LatencyGate.Monotonicity;

namespace LatencyGate.Benchmarks;

/// <summary>
/// OneProxy's data (1,999 NAS-Bench-201 cells, 18 devices): Myriad VPU as the proxy, 20 random
/// target shots, median SRCC over 10 seeds on the remaining cells, for each adaptation method.
/// </summary>
internal sealed class OneProxyBenchmark : IAccuracyBenchmark
{
    public const string ProxyColumn = "true_vpu_ms";
    public const int Shots = 20;
    public const int Seeds = 10;

    public string Name => "oneproxy";

    public IEnumerable<AccuracyRow> Run(BenchmarkContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var table = MeasurementTable.Read(context.DataPath("oneproxy", "nb201_1999_latency_ms.csv"));
        var result = OneProxyExperiment.Run(table, ProxyColumn, Shots, Seeds, ProxyAdapters.All, targets: null);
        return result.ToRows("oneproxy");
    }
}
