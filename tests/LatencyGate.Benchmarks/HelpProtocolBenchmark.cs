using System.Text.Json;
using LatencyGate.Monotonicity;

namespace LatencyGate.Benchmarks;

/// <summary>
/// HELP's NAS-Bench-201 protocol: meta-train devices as sources, 10 shots per test device (HELP's
/// 10 reference archs, plus the spread over 100 random 10-shot sets), Spearman on query archs
/// 900–1,899 with each device's 10 % tails dropped.
/// </summary>
internal sealed class HelpProtocolBenchmark : IAccuracyBenchmark
{
    public static readonly IReadOnlyList<string> Sources =
        ["1080ti_1", "1080ti_32", "1080ti_256", "silver_4114", "silver_4210r", "samsung_a50", "pixel3", "essential_ph_1", "samsung_s7"];

    public static readonly IReadOnlyList<string> Targets = ["titan_rtx_256", "gold_6226", "fpga", "pixel2", "raspi4", "eyeriss"];

    public const int RandomSets = 100;

    public string Name => "help-protocol";

    public IEnumerable<AccuracyRow> Run(BenchmarkContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var table = MeasurementTable.Read(context.DataPath("help", "nasbench201", "nb201_latency.csv"));
        var reference = JsonSerializer.Deserialize<int[]>(File.ReadAllText(context.DataPath("help", "nasbench201", "hardware_embedding_index.json")))!;
        return HelpProtocol.Run(table, reference, Targets, RandomSets).ToRows();
    }
}
