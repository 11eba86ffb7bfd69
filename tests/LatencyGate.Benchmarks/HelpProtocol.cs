using System.Diagnostics;
using LatencyGate.Monotonicity;
using LatencyGate.Randomness;
using LatencyGate.Spaces.NasBench201;
using LatencyGate.Statistics;

namespace LatencyGate.Benchmarks;

/// <summary>The HELP protocol on the NAS-Bench-201 table (shared by the benchmark and the tests).</summary>
internal static class HelpProtocol
{
    public const int TrainPoolEnd = 900;
    public const int QueryStart = 900;
    public const int QueryEnd = 1900;
    public const string Task = "help-protocol";

    public sealed record DeviceResult(string Device, int NTest, double ReferenceSrcc, double NearestSourceSrcc, string NearestSource, IReadOnlyList<double> RandomSrcc, double FitSeconds)
    {
        public double PearsonNearestSrcc { get; init; }

        public string PearsonNearest { get; init; } = "";
    }

    public sealed record Result(IReadOnlyList<DeviceResult> Devices)
    {
        public double MeanReferenceSrcc => Devices.Average(d => d.ReferenceSrcc);

        public double MeanNearestSourceSrcc => Devices.Average(d => d.NearestSourceSrcc);

        public double MeanPearsonNearestSrcc => Devices.Average(d => d.PearsonNearestSrcc);

        public IEnumerable<AccuracyRow> ToRows()
        {
            foreach (var d in Devices)
            {
                yield return Row("ours-reference-shots", d.Device, d.NTest, d.ReferenceSrcc, d.FitSeconds, null);
                if (d.RandomSrcc.Count > 0)
                {
                    var sorted = d.RandomSrcc.Order().ToArray();
                    yield return Row("ours-random-10-shots", d.Device, d.NTest, sorted.Average(), d.FitSeconds, new Dictionary<string, object>
                    {
                        ["sets"] = sorted.Length,
                        ["p5"] = sorted[(int)(0.05 * (sorted.Length - 1))],
                        ["median"] = MonotonicityMetrics.Median(sorted),
                        ["p95"] = sorted[(int)(0.95 * (sorted.Length - 1))],
                        ["min"] = sorted[0],
                    });
                }

                yield return Row("nearest-source-device", d.Device, d.NTest, d.NearestSourceSrcc, 0, new Dictionary<string, object> { ["source"] = d.NearestSource, ["rule"] = "HELP hardware embedding, Euclidean" });
                yield return Row("nearest-source-device-pearson", d.Device, d.NTest, d.PearsonNearestSrcc, 0, new Dictionary<string, object> { ["source"] = d.PearsonNearest, ["rule"] = "Pearson on the reference archs" });
            }

            yield return Row("ours-reference-shots", "mean-6-test-devices", Devices.Sum(d => d.NTest), MeanReferenceSrcc, Devices.Sum(d => d.FitSeconds), new Dictionary<string, object> { ["help_paper"] = 0.932 });
            if (Devices.All(d => d.RandomSrcc.Count > 0))
            {
                yield return Row("ours-random-10-shots", "mean-6-test-devices", Devices.Sum(d => d.NTest), Devices.Average(d => d.RandomSrcc.Average()), 0, null);
            }

            yield return Row("nearest-source-device", "mean-6-test-devices", Devices.Sum(d => d.NTest), MeanNearestSourceSrcc, 0, null);
            yield return Row("nearest-source-device-pearson", "mean-6-test-devices", Devices.Sum(d => d.NTest), MeanPearsonNearestSrcc, 0, null);
        }

        private static AccuracyRow Row(string method, string device, int n, double srcc, double seconds, Dictionary<string, object>? extra) =>
            new(Task, method, device, 10, n, double.NaN, double.NaN, double.NaN, double.NaN, srcc, double.NaN, seconds) { Extra = extra };
    }

    public static Result Run(MeasurementTable table, IReadOnlyList<int> referenceShots, IReadOnlyList<string> targets, int randomSets, IProxyAdapter? method = null)
    {
        method ??= ProxyAdapters.Best;
        var cells = table.Text("arch_str").Select(s => Nb201Cell.Parse(s)).ToArray();
        var index = table.Numbers("arch_idx");
        for (var i = 0; i < index.Length; i++)
        {
            if ((int)index[i] != i)
            {
                throw new InvalidDataException("nb201_latency.csv rows are expected in arch_idx order");
            }
        }

        var sources = HelpProtocolBenchmark.Sources.Select(s => table.Numbers("lat_ms_" + s)).ToArray();
        var pool = AdaptationPool.ForSources(
            [.. cells.Select(Nb201Features.OneHot)],
            [.. cells.Select(Nb201Features.Structural)],
            Nb201Features.StructuralTier,
            sources,
            [.. Enumerable.Range(0, cells.Length).Where(i => i is < QueryStart or >= QueryEnd)]);
        int[] shotCandidates = [.. Enumerable.Range(0, cells.Length).Where(i => i is < QueryStart or >= QueryEnd)];
        var results = new List<DeviceResult>();
        foreach (var target in targets)
        {
            var y = table.Numbers("lat_ms_" + target);
            var query = TrimmedQuery(y);
            var watch = Stopwatch.StartNew();
            var reference = Srcc(method.Adapt(pool, referenceShots, [.. referenceShots.Select(i => y[i])]), y, query);
            var seconds = watch.Elapsed.TotalSeconds;
            var random = new SeededRandom(20211206);
            var spread = new List<double>();
            for (var set = 0; set < randomSets; set++)
            {
                var shots = shotCandidates.ToArray();
                for (var k = 0; k < 10; k++)
                {
                    var j = k + random.NextInt(shots.Length - k);
                    (shots[k], shots[j]) = (shots[j], shots[k]);
                }

                var chosen = shots[..10];
                spread.Add(Srcc(method.Adapt(pool, chosen, [.. chosen.Select(i => y[i])]), y, query));
            }

            var (nearest, nearestName) = NearestSource(sources, y, referenceShots, query);
            var (pearson, pearsonName) = MostCorrelatedSource(sources, y, referenceShots, query);
            results.Add(new DeviceResult(target, query.Length, reference, nearest, nearestName, spread, seconds) { PearsonNearestSrcc = pearson, PearsonNearest = pearsonName });
        }

        return new Result(results);
    }

    /// <summary>Query archs 900..1899 without the fastest and slowest 10 % on this device (HELP drops them per device).</summary>
    public static int[] TrimmedQuery(IReadOnlyList<double> y)
    {
        var query = Enumerable.Range(QueryStart, QueryEnd - QueryStart).OrderBy(i => y[i]).ThenBy(i => i).ToArray();
        var cut = query.Length / 10;
        return query[cut..^cut];
    }

    /// <summary>
    /// The source nearest the target in HELP's hardware-embedding space, used as is: HELP embeds a
    /// device as its latencies on the reference archs, min-max normalized to [0, 1]
    /// (loader.py get_task, utils.normalization with portion 1.0); nearest is the smallest Euclidean
    /// distance between those vectors.
    /// </summary>
    public static (double Srcc, string Source) NearestSource(IReadOnlyList<double[]> sources, IReadOnlyList<double> y, IReadOnlyList<int> shots, int[] query)
    {
        var target = HardwareEmbedding(y, shots);
        var best = 0;
        var bestDistance = double.PositiveInfinity;
        for (var s = 0; s < sources.Count; s++)
        {
            var embedding = HardwareEmbedding(sources[s], shots);
            var distance = embedding.Select((v, k) => (v - target[k]) * (v - target[k])).Sum();
            if (distance < bestDistance)
            {
                bestDistance = distance;
                best = s;
            }
        }

        return (Srcc(sources[best], y, query), HelpProtocolBenchmark.Sources[best]);
    }

    /// <summary>The source whose latencies on the reference archs correlate (Pearson) best with the target's, used as is.</summary>
    public static (double Srcc, string Source) MostCorrelatedSource(IReadOnlyList<double[]> sources, IReadOnlyList<double> y, IReadOnlyList<int> shots, int[] query)
    {
        double[] target = [.. shots.Select(i => y[i])];
        var best = 0;
        var bestScore = double.NegativeInfinity;
        for (var s = 0; s < sources.Count; s++)
        {
            var score = RankCorrelation.Pearson([.. shots.Select(i => sources[s][i])], target);
            if (score > bestScore)
            {
                bestScore = score;
                best = s;
            }
        }

        return (Srcc(sources[best], y, query), HelpProtocolBenchmark.Sources[best]);
    }

    private static double[] HardwareEmbedding(IReadOnlyList<double> latency, IReadOnlyList<int> shots)
    {
        double[] v = [.. shots.Select(i => latency[i])];
        var min = v.Min();
        var range = Math.Max(v.Max() - min, 1e-12);
        return [.. v.Select(x => (x - min) / range)];
    }

    private static double Srcc(IReadOnlyList<double> predicted, IReadOnlyList<double> y, int[] rows) =>
        RankCorrelation.Spearman([.. rows.Select(i => predicted[i])], [.. rows.Select(i => y[i])]);
}
