namespace LatencyGate.Benchmarks.Transfer;

/// <summary>A transfer task: devices with many measurements (sources) and devices to adapt to (targets).</summary>
internal sealed record TransferTask(string Name, IReadOnlyList<string> Sources, IReadOnlyList<string> Targets);

/// <summary>
/// NASFLAT's FBNet tasks F0–F5 (abdelfattah-lab/nasflat_latency, correlation_trainer/device_task_list.py;
/// F0's test devices as in the commits up to 0303057, the ones the published F0 figures name), and the
/// development tasks, which use only the 8 device settings that are a test device of no FBNet task.
/// </summary>
internal static class FbNetTasks
{
    public static IReadOnlyList<TransferTask> Nasflat { get; } =
    [
        new("F0", ["1080ti_1", "1080ti_32", "1080ti_64", "silver_4114", "silver_4210r", "samsung_a50", "pixel3", "essential_ph_1", "samsung_s7"], ["titanx_1", "titanx_32", "titanx_64", "gold_6240"]),
        new("F1", ["2080ti_1", "essential_ph_1", "silver_4114", "titan_rtx_1", "titan_rtx_32"], ["eyeriss", "fpga", "raspi4", "samsung_a50", "samsung_s7"]),
        new("F2", ["essential_ph_1", "gold_6226", "gold_6240", "pixel3", "raspi4"], ["1080ti_1", "1080ti_32", "2080ti_32", "titan_rtx_1", "titanxp_1"]),
        new("F3", ["essential_ph_1", "pixel2", "pixel3", "raspi4", "samsung_s7"], ["1080ti_1", "1080ti_32", "2080ti_1", "titan_rtx_1", "titan_rtx_32"]),
        new("F4", ["1080ti_64", "2080ti_1", "eyeriss", "gold_6226", "gold_6240", "raspi4", "samsung_s7", "silver_4210r", "titan_rtx_1", "titan_rtx_32"], ["1080ti_1", "pixel2", "essential_ph_1"]),
        new("F5", ["1080ti_1", "1080ti_32", "1080ti_64", "2080ti_1", "2080ti_32", "2080ti_64", "titan_rtx_1", "titan_rtx_32", "titan_rtx_64", "titanx_1", "titanx_32", "titanx_64", "titanxp_1", "titanxp_32", "titanxp_64"], ["gold_6226", "essential_ph_1", "samsung_s7", "pixel2"]),
    ];

    /// <summary>Settings that are a test device of no task above: the development tasks use only these.</summary>
    public static IReadOnlyList<string> NeverTested { get; } = ["1080ti_64", "2080ti_64", "titan_rtx_64", "titanxp_32", "titanxp_64", "silver_4114", "silver_4210r", "pixel3"];

    private static readonly string[] DevGpus = ["1080ti_64", "2080ti_64", "titan_rtx_64", "titanxp_32", "titanxp_64"];
    private static readonly string[] DevCpus = ["silver_4114", "silver_4210r", "pixel3"];

    /// <summary>
    /// Development tasks, hard like F0–F5 (sources unlike targets): GPUs to CPUs, CPUs to GPUs, and each
    /// never-tested setting from the others minus its siblings (the same GPU at another batch size, the other Xeon).
    /// </summary>
    public static IReadOnlyList<TransferTask> Development { get; } = BuildDevelopment();

    private static List<TransferTask> BuildDevelopment()
    {
        var tasks = new List<TransferTask>
        {
            new("D-gpu-to-cpu", DevGpus, DevCpus),
            new("D-cpu-to-gpu", DevCpus, DevGpus),
        };
        foreach (var target in NeverTested)
        {
            var family = Family(target);
            tasks.Add(new("D-loo-" + target, [.. NeverTested.Where(d => d != target && Family(d) != family)], [target]));
        }

        return tasks;
    }

    private static string Family(string device) => device.StartsWith("silver", StringComparison.Ordinal) || !device.Contains('_', StringComparison.Ordinal) ? device.Split('_')[0] : device[..device.LastIndexOf('_')];

    public static void CheckDisjoint()
    {
        var tested = Nasflat.SelectMany(t => t.Targets).ToHashSet(StringComparer.Ordinal);
        foreach (var d in Development.SelectMany(t => t.Sources.Concat(t.Targets)))
        {
            if (tested.Contains(d))
            {
                throw new InvalidOperationException($"development device {d} is a test device of a reported task");
            }
        }
    }
}
