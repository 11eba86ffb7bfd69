using LatencyGate.Monotonicity;

namespace LatencyGate.Benchmarks.Transfer;

/// <summary>
/// <c>nasflat-fbnet</c>: NASFLAT's FBNet tasks F0–F5 (sources unlike targets), per test device at 5, 10
/// and 20 target shots, median Spearman over 10 draws, under NASFLAT's protocol and HELP's; the method
/// and shot selector the tool uses (<see cref="TransferMethod.Tool"/>: the source prior <c>fit</c> writes and
/// adapts, <see cref="ShotSelection.Best"/> over it as <c>sample</c> chooses),
/// the same method on random shots, the method as it was before (FBNet features without the whole-net
/// work, random shots: what <c>monotonicity</c> used), the nearest source device, and the published
/// per-task figures as rows. "F0-alt" scores F0's sources on the test devices device_task_list.py names
/// from commit afdd046 on (fpga, raspi4, eyeriss); it is not in the mean.
/// </summary>
internal sealed class NasflatFbnetBenchmark : IAccuracyBenchmark
{
    public const string TaskName = "nasflat-fbnet";
    public const int Draws = 10;

    public static readonly IReadOnlyList<int> ShotCounts = [5, 10, 20];

    public string Name => TaskName;

    private static readonly TransferTask F0Alt = new("F0-alt", FbNetTasks.Nasflat[0].Sources, ["fpga", "raspi4", "eyeriss"]);

    public IEnumerable<AccuracyRow> Run(BenchmarkContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var data = FbNetData.Load(context.DataPath("help", "fbnet", "fbnet_latency.csv"));
        var ours = TransferMethod.Tool;
        var before = TransferMethod.From(ProxyAdapters.AdaptiveStructuralProxy, legacy: true);
        TransferMethod[] methods = [ours, before, TransferMethod.NearestSource];
        IShotSelector[] selectors = [ShotSelection.Random, ShotSelection.Best];
        // Every method on random shots; only ours on the selected ones.
        bool Include(IShotSelector s, TransferMethod m) => s == ShotSelection.Random || m == ours;
        List<TransferTask> tasks = [.. FbNetTasks.Nasflat, F0Alt];
        var rows = new List<AccuracyRow>();
        foreach (var protocol in new[] { TransferProtocol.Nasflat, TransferProtocol.Help })
        {
            var cells = FbNetTransferExperiment.Run(data, tasks, protocol, ShotCounts, Draws, methods, selectors, context.Log, Include);
            var protocolRows = TransferRows.From(TaskName, cells, FbNetTasks.Nasflat, "F0-F5/mean").ToList();
            rows.AddRange(protocolRows.Select(r => Annotate(r, protocol, protocolRows)));
        }

        foreach (var (name, figures, shots) in new[] { ("nasflat", FbNetPublished.Nasflat, 20), ("help", FbNetPublished.Help, 10), ("multipredict", FbNetPublished.MultiPredict, 20) })
        {
            foreach (var (task, value) in figures)
            {
                rows.Add(Published(name, task + "/mean", shots, value));
            }

            rows.Add(Published(name, "F0-F5/mean", shots, figures.Values.Average()));
        }

        return rows;
    }

    // On the F0–F5 mean rows of NASFLAT's protocol at 20 shots: how many tasks beat NASFLAT's published figure.
    private static AccuracyRow Annotate(AccuracyRow row, TransferProtocol protocol, List<AccuracyRow> all)
    {
        if (protocol != TransferProtocol.Nasflat || row.Device != "F0-F5/mean" || row.Shots != 20 || row.Extra is null)
        {
            return row;
        }

        var extra = new Dictionary<string, object>(row.Extra)
        {
            ["nasflat_published_mean"] = FbNetPublished.Nasflat.Values.Average(),
            ["tasks_above_nasflat"] = FbNetPublished.Nasflat.Count(kv => all.Any(r =>
                r.Device == kv.Key + "/mean" && r.Method == row.Method && r.Shots == row.Shots
                && Equals(r.Extra?["selector"], row.Extra["selector"]) && r.Spearman > kv.Value)),
        };
        return row with { Extra = extra };
    }

    private static AccuracyRow Published(string method, string device, int shots, double spearman) =>
        new(TaskName, method + "-published", device, shots, 5000, double.NaN, double.NaN, double.NaN, double.NaN, spearman, double.NaN, 0)
        {
            Extra = new Dictionary<string, object> { ["source"] = FbNetPublished.SourceOf(method), ["protocol"] = method == "help" ? "nasflat rerun of HELP (all archs, no tails dropped)" : "nasflat" },
        };
}
