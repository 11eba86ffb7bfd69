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
    public void Same_seed_gives_same_intervals()
    {
        var r1 = MonotonicityAnalysis.Analyze(Devices, Latency(), null, 0.9, 50, 7);
        var r2 = MonotonicityAnalysis.Analyze(Devices, Latency(), null, 0.9, 50, 7);
        r1.Spearman[0][2].ShouldBe(r2.Spearman[0][2]);
        r1.Kendall[1][2].ShouldBe(r2.Kendall[1][2]);
    }
}
