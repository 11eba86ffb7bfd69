using LatencyGate.Monotonicity;
using LatencyGate.Randomness;
using LatencyGate.Spaces.FbNet;
using LatencyGate.Statistics;
using Shouldly;
using Xunit;

namespace LatencyGate.Tests.Monotonicity;

/// <summary>Shot selection, FBNet whole-net work and multi-source adaptation (the nasflat-fbnet method).</summary>
public sealed class SourceTransferTests
{
    [Fact]
    public void Work_counts_blocks_and_splits_macs_into_pointwise_and_depthwise()
    {
        var random = new SeededRandom(5);
        for (var t = 0; t < 50; t++)
        {
            var arch = FbNetArch.Random(random);
            var w = FbNetFeatures.Work(arch);
            w.Length.ShouldBe(FbNetFeatures.WorkCount);
            w[0].ShouldBe(w[1] + w[2], 1e-9);
            w[5].ShouldBe(arch.Ops.ToArray().Count(o => FbNetArch.OpNames[o] != "skip"));
            w[6].ShouldBe(arch.Ops.ToArray().Count(o => FbNetArch.OpNames[o].EndsWith("_g2", StringComparison.Ordinal)));
            w[8..].Sum().ShouldBe(w[0], 1e-9);
            FbNetFeatures.Structural(arch).Length.ShouldBe(FbNetFeatures.StructuralTier.Count);
        }

        var skips = FbNetArch.Parse(string.Join('|', Enumerable.Repeat("skip", FbNetArch.LayerCount)));
        FbNetFeatures.Work(skips).Sum().ShouldBe(0);

        // A wider expansion costs more multiply-adds in the same layer; a grouped 1×1 half as much there.
        var e1 = Ops("k3_e1");
        FbNetFeatures.Work(Ops("k3_e6"))[0].ShouldBeGreaterThan(FbNetFeatures.Work(e1)[0]);
        FbNetFeatures.Work(Ops("k3_e1_g2"))[1].ShouldBe(FbNetFeatures.Work(e1)[1] / 2, 1e-9);
    }

    [Fact]
    public void Every_selector_returns_distinct_candidates_and_the_same_for_a_seed()
    {
        var pool = SyntheticPool(out _);
        int[] candidates = [.. Enumerable.Range(0, pool.Count).Where(i => i % 3 != 0)];
        foreach (var selector in ShotSelection.All)
        {
            foreach (var k in new[] { 1, 5, 20 })
            {
                var a = selector.Select(pool, candidates, k, new SeededRandom(9));
                a.Length.ShouldBe(k, selector.Name);
                a.Distinct().Count().ShouldBe(k, selector.Name);
                a.ShouldAllBe(i => candidates.Contains(i), selector.Name);
                selector.Select(pool, candidates, k, new SeededRandom(9)).ShouldBe(a, selector.Name);
            }
        }
    }

    [Fact]
    public void Diverse_shots_cover_the_sources_latency_range_better_than_random_ones()
    {
        var pool = SyntheticPool(out _);
        int[] all = [.. Enumerable.Range(0, pool.Count)];
        double Range(int[] shots) => shots.Max(i => pool.Priors[i][0]) - shots.Min(i => pool.Priors[i][0]);
        double diverse = 0, random = 0;
        for (var s = 0UL; s < 10; s++)
        {
            diverse += Range(ShotSelection.Best.Select(pool, all, 5, new SeededRandom(s)));
            random += Range(ShotSelection.Random.Select(pool, all, 5, new SeededRandom(s)));
        }

        diverse.ShouldBeGreaterThan(random);
    }

    [Fact]
    public void Adapting_from_two_sources_recovers_a_target_that_mixes_them()
    {
        var pool = SyntheticPool(out var target);
        int[] all = [.. Enumerable.Range(0, pool.Count)];
        var shots = ShotSelection.Best.Select(pool, all, 20, new SeededRandom(1));
        var predicted = ProxyAdapters.Best.Adapt(pool, shots, [.. shots.Select(i => target[i])]);
        RankCorrelation.Spearman(predicted, target).ShouldBeGreaterThan(0.95);
    }

    /// <summary>A small slice of nasflat-fbnet-dev: two GPUs (batch 64) as sources, a Xeon CPU as target.</summary>
    [ReferenceDataFact]
    public void Gpu_sources_rank_a_cpu_target_better_than_the_nearest_gpu_does()
    {
        var table = MeasurementTable.Read(ReferenceData.PathOf("help", "fbnet", "fbnet_latency.csv"));
        var arch = ArchColumnReader.Read(table)!;
        const int n = 1500;
        double[][] sources = [.. new[] { "lat_ms_1080ti_64", "lat_ms_titanxp_64" }.Select(c => table.Numbers(c)[..n])];
        var y = table.Numbers("lat_ms_silver_4114")[..n];
        var pool = AdaptationPool.ForSources([.. arch.OneHot.Take(n)], [.. arch.Structural.Take(n)], arch.Tiers, sources, [.. Enumerable.Range(0, n)]);
        int[] all = [.. Enumerable.Range(0, n)];
        var nearest = sources.Max(s => RankCorrelation.Spearman(s, y));
        var ours = 0.0;
        for (var seed = 0UL; seed < 2; seed++)
        {
            var shots = ShotSelection.Best.Select(pool, all, 20, new SeededRandom(seed));
            ours += RankCorrelation.Spearman(ProxyAdapters.Best.Adapt(pool, shots, [.. shots.Select(i => y[i])]), y) / 2;
        }

        ours.ShouldBeGreaterThan(0.7, $"nearest GPU {nearest}");
        ours.ShouldBeGreaterThan(nearest + 0.1, $"nearest GPU {nearest}");
    }

    private static FbNetArch Ops(string op) => FbNetArch.Parse(string.Join('|', Enumerable.Repeat(op, FbNetArch.LayerCount)));

    // Two additive "devices" over 400 random FBNet archs: a compute-bound one (multiply-adds) and a
    // launch-bound one (blocks); the target is a mix with its own per-op noise.
    private static AdaptationPool SyntheticPool(out double[] target)
    {
        var random = new SeededRandom(42);
        var archs = Enumerable.Range(0, 400).Select(_ => FbNetArch.Random(random)).ToArray();
        var compute = archs.Select(a => 1 + FbNetFeatures.Work(a)[0]).ToArray();
        var launch = archs.Select(a => 2 + (0.3 * FbNetFeatures.Work(a)[5])).ToArray();
        var opCost = Enumerable.Range(0, FbNetArch.OpCount).Select(_ => 0.02 * random.NextDouble()).ToArray();
        target = [.. archs.Select((a, i) => (0.5 * compute[i]) + (2 * launch[i]) + a.Ops.ToArray().Sum(o => opCost[o]))];
        return AdaptationPool.ForSources(
            [.. archs.Select(FbNetFeatures.OneHot)],
            [.. archs.Select(FbNetFeatures.Structural)],
            FbNetFeatures.StructuralTier,
            [compute, launch],
            [.. Enumerable.Range(0, archs.Length)]);
    }
}
