using System.Diagnostics;
using LatencyGate.Monotonicity;
using LatencyGate.Randomness;
using LatencyGate.Spaces.FbNet;
using LatencyGate.Statistics;

namespace LatencyGate.Benchmarks.Transfer;

/// <summary>How a transfer task is scored.</summary>
internal enum TransferProtocol
{
    /// <summary>
    /// NASFLAT's: sources measured on 800 random archs (its <c>--sample_sizes 800</c>), shots drawn from all
    /// 5,000 archs, Spearman over all 5,000 archs, the shots included, no tails dropped.
    /// </summary>
    Nasflat,

    /// <summary>HELP's: sources measured on archs 0–3,999 (the meta-train pool), shots from that pool, Spearman on query archs 4,000–4,999 minus the target's fastest and slowest 10 %.</summary>
    Help,
}

/// <summary>What a method may use on one task: the pools, the sources' raw latencies, the tool's source prior, every arch's structure features.</summary>
/// <param name="Pool">The multi-source pool of the design comparison (<see cref="AdaptationPool.ForSources"/>, standardized over every arch).</param>
/// <param name="LegacyPool">As <paramref name="Pool"/>, with the FBNet features before the whole-net work columns.</param>
/// <param name="Prior">The source prior the tool fits on the sources' measurements (<c>fit --data SOURCES.csv --columns …</c>).</param>
/// <param name="PriorPool">The prior's pool over every arch: what <c>sample</c> chooses shots from.</param>
internal sealed record TransferInputs(AdaptationPool Pool, AdaptationPool LegacyPool, IReadOnlyList<double[]> Sources, SourcePrior Prior, AdaptationPool PriorPool, IReadOnlyList<double[]> Structural);

/// <summary>A way to rank every arch on a target from the sources and a few target shots.</summary>
/// <param name="Adapt">(inputs, shot rows, shot latencies) → a prediction per arch.</param>
internal sealed record TransferMethod(string Name, Func<TransferInputs, IReadOnlyList<int>, IReadOnlyList<double>, double[]> Adapt)
{
    /// <summary>Whether the method sees the FBNet structure features as they were before the whole-net work columns (the "current" baseline).</summary>
    public bool LegacyFeatures { get; init; }

    public static TransferMethod From(IProxyAdapter adapter, bool legacy = false) => new(legacy ? adapter.Name + " (before)" : adapter.Name, (inputs, shots, y) => adapter.Adapt(legacy ? inputs.LegacyPool : inputs.Pool, shots, y)) { LegacyFeatures = legacy };

    /// <summary>
    /// The tool's path, call for call: <see cref="SourcePrior.Fit"/> on the sources (once per task, as <c>fit --data
    /// SOURCES.csv --columns …</c>), <see cref="SourcePrior.Adapt"/> on the shots and
    /// <see cref="SourcePriorAdaptation.PredictAll"/> (as <c>fit --base PRIOR --strategy auto</c> and the adapted predictor).
    /// </summary>
    public static TransferMethod Tool { get; } = new(ProxyAdapters.Best.Name, (inputs, shots, y) =>
        inputs.Prior.Adapt([.. shots.Select(i => inputs.Structural[i])], y).PredictAll(inputs.Structural));

    /// <summary>The source whose measured latencies correlate best (Pearson) with the target's on the shots, used as is.</summary>
    public static TransferMethod NearestSource { get; } = new("nearest-source-device", (inputs, shots, y) =>
    {
        var sources = inputs.Sources;
        var best = 0;
        var bestScore = double.NegativeInfinity;
        for (var s = 0; s < sources.Count; s++)
        {
            var score = RankCorrelation.Pearson([.. shots.Select(i => sources[s][i])], [.. y]);
            score = double.IsNaN(score) ? -1 : score;
            if (score > bestScore)
            {
                bestScore = score;
                best = s;
            }
        }

        return [.. sources[best]];
    });
}

/// <summary>One (task, target, shots, method, selector) cell: Spearman per draw.</summary>
internal sealed record TransferCell(string Task, string Target, int Shots, string Method, string Selector, TransferProtocol Protocol, int NTest, double[] Spearman, double Seconds)
{
    public double Median => MonotonicityMetrics.Median(Spearman);
}

/// <summary>Runs transfer tasks on the FBNet table: per target, k shots, draws, every method on the same draws.</summary>
internal static class FbNetTransferExperiment
{
    public const int NasflatSourceArchs = 800;
    public const int HelpPoolEnd = 4000;

    public static List<TransferCell> Run(
        FbNetData data,
        IReadOnlyList<TransferTask> tasks,
        TransferProtocol protocol,
        IReadOnlyList<int> shotCounts,
        int draws,
        IReadOnlyList<TransferMethod> methods,
        IReadOnlyList<IShotSelector> selectors,
        TextWriter? log = null,
        Func<IShotSelector, TransferMethod, bool>? include = null)
    {
        var cells = new List<TransferCell>();
        var n = data.Count;
        foreach (var task in tasks)
        {
            var sourceRows = SourceRows(protocol, n, task.Name);
            var sources = task.Sources.Select(data.Latency).ToArray();
            var pool = AdaptationPool.ForSources(data.Features.OneHot, data.Features.Structural, data.Features.Tiers, sources, sourceRows);
            var legacyPool = methods.Any(m => m.LegacyFeatures)
                ? AdaptationPool.ForSources(data.Features.OneHot, [.. data.Features.Structural.Select(x => x[..^FbNetFeatures.WorkCount])], data.Features.Tiers?.Take(data.Features.Structural[0].Length - FbNetFeatures.WorkCount).ToArray(), sources, sourceRows)
                : pool;
            // The tool's prior sees only the source archs and their measurements, as fit --data SOURCES.csv would.
            var prior = SourcePrior.Fit(data.Features.Space, task.Sources, [.. sourceRows.Select(i => data.Features.Structural[i])], data.Features.Tiers, [.. sources.Select(l => sourceRows.Select(i => l[i]).ToArray())]);
            var inputs = new TransferInputs(pool, legacyPool, sources, prior, prior.Pool(data.Features.Structural), data.Features.Structural);
            int[] candidates = protocol == TransferProtocol.Nasflat ? [.. Enumerable.Range(0, n)] : [.. Enumerable.Range(0, HelpPoolEnd)];
            foreach (var target in task.Targets)
            {
                var y = data.Latency(target);
                var test = protocol == TransferProtocol.Nasflat ? Enumerable.Range(0, n).ToArray() : TrimmedQuery(y, n);
                double[] yTest = [.. test.Select(i => y[i])];
                foreach (var k in shotCounts)
                {
                    foreach (var selector in selectors)
                    {
                        var selected = methods.Where(m => include?.Invoke(selector, m) ?? true).ToArray();
                        var spearman = new double[selected.Length, draws];
                        var seconds = new double[selected.Length];
                        Parallel.For(0, draws, new ParallelOptions { MaxDegreeOfParallelism = 2 }, d =>
                        {
                            var random = new SeededRandom(Seed(task.Name, target, k, d));
                            // Shots are chosen as sample chooses them: over the tool's prior.
                            var shots = selector.Select(inputs.PriorPool, candidates, k, random);
                            double[] yShots = [.. shots.Select(i => y[i])];
                            for (var m = 0; m < selected.Length; m++)
                            {
                                var watch = Stopwatch.StartNew();
                                var predicted = selected[m].Adapt(inputs, shots, yShots);
                                var elapsed = watch.Elapsed.TotalSeconds;
                                lock (seconds)
                                {
                                    seconds[m] += elapsed;
                                }

                                spearman[m, d] = RankCorrelation.Spearman([.. test.Select(i => predicted[i])], yTest);
                            }
                        });
                        for (var m = 0; m < selected.Length; m++)
                        {
                            var cell = new TransferCell(task.Name, target, k, selected[m].Name, selector.Name, protocol, test.Length, [.. Enumerable.Range(0, draws).Select(d => spearman[m, d])], seconds[m]);
                            cells.Add(cell);
                            log?.WriteLine($"   {task.Name,-14} {target,-14} k={k,2} {selector.Name,-8} {selected[m].Name,-36} median {cell.Median:F4}");
                        }
                    }
                }
            }
        }

        return cells;
    }

    /// <summary>Rows the sources are measured on: 800 random archs (one draw per task) or HELP's pool 0–3,999.</summary>
    public static int[] SourceRows(TransferProtocol protocol, int n, string task)
    {
        if (protocol == TransferProtocol.Help)
        {
            return [.. Enumerable.Range(0, HelpPoolEnd)];
        }

        var order = Enumerable.Range(0, n).ToArray();
        new SeededRandom(Seed(task, "sources", 0, 0)).Shuffle(order.AsSpan());
        return [.. order[..NasflatSourceArchs].Order()];
    }

    /// <summary>Query archs 4,000–4,999 without this device's fastest and slowest 10 %.</summary>
    public static int[] TrimmedQuery(IReadOnlyList<double> y, int n)
    {
        var query = Enumerable.Range(HelpPoolEnd, n - HelpPoolEnd).OrderBy(i => y[i]).ThenBy(i => i).ToArray();
        var cut = query.Length / 10;
        return query[cut..^cut];
    }

    private static ulong Seed(string task, string target, int k, int draw)
    {
        // FNV-1a over the names: a stable seed per cell whatever the order cells run in.
        var h = 14695981039346656037UL;
        foreach (var c in $"{task}|{target}|{k}|{draw}")
        {
            h = (h ^ c) * 1099511628211UL;
        }

        return h;
    }
}
