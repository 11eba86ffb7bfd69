using LatencyGate.Monotonicity;
using Shouldly;
using Xunit;

namespace LatencyGate.Tests.Monotonicity;

public sealed class MonotonicityAnalysisTests
{
    private static readonly string[] Devices = ["a", "b", "c"];

    private static double[][] Latency()
    {
        var a = Enumerable.Range(0, 60).Select(i => (double)i).ToArray();
        var b = a.Select(v => (2 * v) + 1).ToArray();
        var c = a.Select(v => ((v * 37) % 60) + 0.5).ToArray();
        return [a, b, c];
    }

    [Fact]
    public void Matrix_is_symmetric_and_the_cover_follows_the_threshold()
    {
        var report = MonotonicityAnalysis.Analyze(Devices, Latency(), null, 0.9, 50, 7);
        report.Spearman[0][1].Value.ShouldBe(1, 1e-12);
        report.Spearman[1][0].ShouldBe(report.Spearman[0][1]);
        report.Spearman[0][2].Value.ShouldBeLessThan(0.5);
        report.Spearman[0][2].Lower.ShouldBeLessThanOrEqualTo(report.Spearman[0][2].Value);
        report.Cover.Count.ShouldBe(1);
        report.Cover[0].Targets.Count.ShouldBe(1);
        report.Adaptation.Single().Target.ShouldBe("c");
        report.Adaptation.Single().Shots.ShouldBeNull();
    }

    [Fact]
    public void A_device_no_proxy_covers_gets_a_shot_estimate_from_every_other_device()
    {
        // FBNet archs on a compute-bound and a launch-bound device and one that mixes both: at SRCC 0.95 no
        // device covers another, and each is an exact mix of the other two, which adaptation can find.
        var random = new LatencyGate.Randomness.SeededRandom(11);
        var archs = Enumerable.Range(0, 200).Select(_ => LatencyGate.Spaces.FbNet.FbNetArch.Random(random)).ToArray();
        var work = archs.Select(LatencyGate.Spaces.FbNet.FbNetFeatures.Work).ToArray();
        var compute = work.Select(w => w[0]).ToArray();
        var launch = work.Select(w => w[5]).ToArray();
        double Sd(double[] v) => Math.Sqrt(v.Select(x => x * x).Average() - Math.Pow(v.Average(), 2));
        var mix = compute.Select((c, i) => (c / Sd(compute)) + (launch[i] / Sd(launch))).ToArray();
        var features = new ArchFeatureSet(
            "fbnet",
            [.. archs.Select(LatencyGate.Spaces.FbNet.FbNetFeatures.OneHot)],
            [.. archs.Select(LatencyGate.Spaces.FbNet.FbNetFeatures.Structural)],
            LatencyGate.Spaces.FbNet.FbNetFeatures.StructuralTier);

        var report = MonotonicityAnalysis.Analyze(["compute", "launch", "mix"], [compute, launch, mix], features, 0.95, 20, 3);

        report.Adaptation.Count.ShouldBe(2);
        foreach (var estimate in report.Adaptation)
        {
            estimate.ProxySrcc.ShouldBeLessThan(0.95, estimate.Target);
            estimate.Shots.ShouldNotBeNull(estimate.Target);
            estimate.Shots.Value.ShouldBeLessThanOrEqualTo(20, estimate.Target);
            estimate.AdaptedSrcc!.Value.ShouldBeGreaterThanOrEqualTo(0.95, estimate.Target);
            estimate.Method.ShouldContain("from the 2 other device(s)");
        }
    }

    [Fact]
    public void Same_seed_gives_same_intervals()
    {
        var r1 = MonotonicityAnalysis.Analyze(Devices, Latency(), null, 0.9, 50, 7);
        var r2 = MonotonicityAnalysis.Analyze(Devices, Latency(), null, 0.9, 50, 7);
        r1.Spearman[0][2].ShouldBe(r2.Spearman[0][2]);
        r1.Kendall[1][2].ShouldBe(r2.Kendall[1][2]);
    }
}
