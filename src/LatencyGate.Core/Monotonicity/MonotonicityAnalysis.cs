using LatencyGate.Diagnostics;
using LatencyGate.Randomness;
using LatencyGate.Statistics;

namespace LatencyGate.Monotonicity;

/// <summary>
/// Latency monotonicity across devices: Spearman and Kendall matrices with bootstrap intervals,
/// which proxy covers which targets, and how many shots adaptation needs for the rest.
/// </summary>
internal static class MonotonicityAnalysis
{
    public static readonly IReadOnlyList<int> ShotLadder = [5, 10, 20, 50, 100];
    public const int AdaptationSeeds = 5;

    /// <param name="devices">The devices' names, one per latency column.</param>
    /// <param name="latency">Per device, the latency of every row (NaN where not measured).</param>
    /// <param name="archFeatures">Per row (oneHot, structural, tiers) or null when the CSV has no arch: then no adaptation estimate.</param>
    /// <param name="threshold">The rank correlation a proxy must reach to cover a target.</param>
    /// <param name="bootstrapSamples">Bootstrap resamples for the intervals.</param>
    /// <param name="seed">Seed of the resamples and shot draws.</param>
    /// <param name="cancellationToken">Stops the bootstrap and the adaptation estimates.</param>
    public static MonotonicityReport Analyze(
        IReadOnlyList<string> devices,
        IReadOnlyList<double[]> latency,
        ArchFeatureSet? archFeatures,
        double threshold,
        int bootstrapSamples,
        ulong seed,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(devices);
        ArgumentNullException.ThrowIfNull(latency);
        var m = devices.Count;
        if (m < 2)
        {
            throw new LatencyGateException(MonotonicityErrors.TooLittleData, "monotonicity needs at least two device columns");
        }

        // Rows measured on every device only, so every cell of the matrix ranks the same archs.
        int[] rows = [.. Enumerable.Range(0, latency[0].Length).Where(i => latency.All(c => !double.IsNaN(c[i])))];
        if (rows.Length < 5)
        {
            throw new LatencyGateException(MonotonicityErrors.TooLittleData, $"only {rows.Length} rows are measured on every device; at least 5 are needed");
        }

        if (archFeatures is not null)
        {
            // Repeated measurements of one arch rank nothing: count distinct archs, not rows.
            var distinct = rows.Select(i => string.Join(",", archFeatures.OneHot[i])).Distinct(StringComparer.Ordinal).Count();
            if (distinct < 5)
            {
                throw new LatencyGateException(MonotonicityErrors.TooLittleData, $"the {rows.Length} rows measured on every device hold only {distinct} distinct arch(s); at least 5 are needed to rank archs");
            }
        }

        var columns = latency.Select(c => rows.Select(i => c[i]).ToArray()).ToArray();
        var spearman = NewMatrix(m);
        var kendall = NewMatrix(m);
        var pairs = new List<(int A, int B)>();
        for (var a = 0; a < m; a++)
        {
            spearman[a][a] = kendall[a][a] = new CorrelationCell(1, 1, 1);
            for (var b = a + 1; b < m; b++)
            {
                pairs.Add((a, b));
            }
        }

        var results = new (CorrelationCell S, CorrelationCell K)[pairs.Count];
        UserErrors.Rethrowing(() => Parallel.For(0, pairs.Count, p =>
        {
            // One stream per pair, derived from the seed alone: same bytes whatever the thread count.
            var random = new SeededRandom(seed ^ (0x9E3779B97F4A7C15UL * (ulong)(p + 1)));
            results[p] = Correlate(columns[pairs[p].A], columns[pairs[p].B], bootstrapSamples, random, cancellationToken);
        }));
        for (var p = 0; p < pairs.Count; p++)
        {
            var (a, b) = pairs[p];
            spearman[a][b] = spearman[b][a] = results[p].S;
            kendall[a][b] = kendall[b][a] = results[p].K;
        }

        var covers = Enumerable.Range(0, m).Select(p => Enumerable.Range(0, m).Where(t => t != p && spearman[p][t].Value >= threshold).ToHashSet()).ToArray();
        double MeanSrcc(int p) => Enumerable.Range(0, m).Where(t => t != p).Average(t => spearman[p][t].Value);
        var single = Enumerable.Range(0, m).OrderByDescending(p => covers[p].Count).ThenByDescending(MeanSrcc).ThenBy(p => p).First();
        var cover = GreedyCover(m, covers, MeanSrcc);
        var covered = cover.SelectMany(c => c.Targets.Append(c.Proxy)).ToHashSet();
        covered.Add(single);
        var adaptation = new List<AdaptationEstimate>();
        foreach (var t in Enumerable.Range(0, m).Where(t => !covered.Contains(t)))
        {
            var proxy = cover.Count > 0 ? cover.OrderByDescending(c => spearman[c.Proxy][t].Value).First().Proxy : single;
            adaptation.Add(EstimateShots(devices, rows, latency, archFeatures, proxy, t, spearman[proxy][t].Value, threshold, seed, cancellationToken));
        }

        return new MonotonicityReport(
            devices,
            rows.Length,
            archFeatures?.Space ?? "none",
            threshold,
            bootstrapSamples,
            seed,
            spearman,
            kendall,
            devices[single],
            [.. covers[single].Order().Select(t => devices[t])],
            [.. cover.Select(c => new ProxyCover(devices[c.Proxy], [.. c.Targets.Select(t => devices[t])]))],
            adaptation);
    }

    /// <summary>
    /// Greedy set cover: repeatedly take the device whose SRCC ≥ threshold reaches the most devices
    /// not yet served (a chosen proxy serves itself); ties go to the higher mean SRCC. Stops when no
    /// device reaches a new one; what is left needs adaptation.
    /// </summary>
    private static List<(int Proxy, List<int> Targets)> GreedyCover(int m, HashSet<int>[] covers, Func<int, double> meanSrcc)
    {
        var served = new HashSet<int>();
        var cover = new List<(int, List<int>)>();
        while (served.Count < m)
        {
            var best = Enumerable.Range(0, m).Where(p => !served.Contains(p) || covers[p].Except(served).Any())
                .Select(p => (p, gain: covers[p].Count(t => !served.Contains(t))))
                .Where(x => x.gain > 0)
                .OrderByDescending(x => x.gain).ThenByDescending(x => meanSrcc(x.p)).ThenBy(x => x.p)
                .Select(x => (int?)x.p).FirstOrDefault();
            if (best is null)
            {
                break;
            }

            var targets = covers[best.Value].Where(t => !served.Contains(t)).Order().ToList();
            served.Add(best.Value);
            served.UnionWith(targets);
            cover.Add((best.Value, targets));
        }

        return cover;
    }

    private static (CorrelationCell S, CorrelationCell K) Correlate(double[] x, double[] y, int samples, SeededRandom random, CancellationToken cancellationToken)
    {
        var s = RankCorrelation.Spearman(x, y);
        var k = RankCorrelation.Kendall(x, y);
        if (samples <= 0)
        {
            return (new CorrelationCell(s, double.NaN, double.NaN), new CorrelationCell(k, double.NaN, double.NaN));
        }

        var n = x.Length;
        var bs = new double[samples];
        var bk = new double[samples];
        var rx = new double[n];
        var ry = new double[n];
        for (var b = 0; b < samples; b++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            for (var i = 0; i < n; i++)
            {
                var j = random.NextInt(n);
                rx[i] = x[j];
                ry[i] = y[j];
            }

            bs[b] = RankCorrelation.Spearman(rx, ry);
            bk[b] = RankCorrelation.Kendall(rx, ry);
        }

        return (Interval(s, bs), Interval(k, bk));
    }

    private static CorrelationCell Interval(double value, double[] samples)
    {
        var finite = samples.Where(v => !double.IsNaN(v)).Order().ToArray();
        if (finite.Length == 0)
        {
            return new CorrelationCell(value, double.NaN, double.NaN);
        }

        return new CorrelationCell(value, finite[(int)Math.Floor(0.025 * (finite.Length - 1))], finite[(int)Math.Ceiling(0.975 * (finite.Length - 1))]);
    }

    /// <summary>
    /// Simulates k-shot adaptation to <paramref name="target"/> on the CSV's own rows, the way the tool
    /// would do it: every other listed device is a source (a structure model each, fit on all rows), the
    /// k shots are chosen as <c>sample --data</c> chooses them (<see cref="ShotSelection.Best"/>, seeded),
    /// and <see cref="ProxyAdapters.Best"/> adapts (<see cref="SourcePrior.Fit"/>, <see cref="SourcePrior.Adapt"/>:
    /// the calls of <c>fit</c> and the benchmark); SRCC on the rows not used as shots. For k in the
    /// ladder, <see cref="AdaptationSeeds"/> draws; the smallest k whose median reaches the threshold.
    /// </summary>
    private static AdaptationEstimate EstimateShots(IReadOnlyList<string> devices, int[] rows, IReadOnlyList<double[]> latency, ArchFeatureSet? arch, int proxy, int target, double proxySrcc, double threshold, ulong seed, CancellationToken cancellationToken)
    {
        if (arch is null)
        {
            return new AdaptationEstimate(devices[target], devices[proxy], proxySrcc, null, null, "not estimated: the CSV has no arch column to adapt on");
        }

        int[] sources = [.. Enumerable.Range(0, devices.Count).Where(d => d != target)];
        int[] all = [.. Enumerable.Range(0, rows.Length)];
        double[][] structural = [.. rows.Select(i => arch.Structural[i])];
        var prior = SourcePrior.Fit(arch.Space, [.. sources.Select(d => devices[d])], structural, arch.Tiers, [.. sources.Select(d => rows.Select(i => latency[d][i]).ToArray())]);
        var pool = prior.Pool(structural);
        var y = rows.Select(i => latency[target][i]).ToArray();
        var how = $"{ProxyAdapters.Best.Name} from the {sources.Length} other device(s), shots chosen as sample --data does ({ShotSelection.Best.Name})";
        double? last = null;
        foreach (var k in ShotLadder.Where(k => k <= rows.Length / 2))
        {
            var srcc = new List<double>();
            for (var s = 0; s < AdaptationSeeds; s++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var random = new SeededRandom(seed + (ulong)(1000 * k) + (ulong)s);
                var shots = ShotSelection.Best.Select(pool, all, k, random);
                var chosen = shots.ToHashSet();
                int[] test = [.. all.Where(i => !chosen.Contains(i))];
                var predicted = prior.Adapt([.. shots.Select(i => structural[i])], [.. shots.Select(i => y[i])]).PredictAll(structural);
                srcc.Add(RankCorrelation.Spearman([.. test.Select(i => predicted[i])], [.. test.Select(i => y[i])]));
            }

            var median = srcc.Order().ElementAt(srcc.Count / 2);
            last = median;
            if (median >= threshold)
            {
                return new AdaptationEstimate(devices[target], devices[proxy], proxySrcc, k, median, $"simulated on this CSV: median SRCC over {AdaptationSeeds} {k}-shot sets, {how}");
            }
        }

        return new AdaptationEstimate(devices[target], devices[proxy], proxySrcc, null, last, $"not reached with up to {ShotLadder.Where(k => k <= rows.Length / 2).DefaultIfEmpty(0).Max()} shots (simulated on this CSV, {how}): measure the target and fit a predictor");
    }

    private static CorrelationCell[][] NewMatrix(int m) => [.. Enumerable.Range(0, m).Select(_ => new CorrelationCell[m])];
}

/// <summary>Per-row encodings of the CSV's archs for adaptation, and the space they came from.</summary>
internal sealed record ArchFeatureSet(string Space, IReadOnlyList<double[]> OneHot, IReadOnlyList<double[]> Structural, IReadOnlyList<int>? Tiers);
