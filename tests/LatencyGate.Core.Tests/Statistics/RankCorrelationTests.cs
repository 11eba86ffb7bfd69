using FsCheck;
using FsCheck.Fluent;
using LatencyGate.Statistics;
using Shouldly;
using Xunit;

namespace LatencyGate.Tests.Statistics;

public sealed class RankCorrelationTests
{
    // Golden values computed independently (average ranks; tau-b by pair counting).
    [Fact]
    public void Matches_scipy_with_ties()
    {
        double[] x = [1, 2, 2, 3, 4, 5, 5, 6];
        double[] y = [2, 1, 3, 3, 5, 4, 6, 6];
        RankCorrelation.Spearman(x, y).ShouldBe(0.8902439024390244, 1e-12);
        RankCorrelation.Kendall(x, y).ShouldBe(0.7692307692307693, 1e-12);
    }

    [Fact]
    public void Kendall_fast_path_equals_the_quadratic_definition()
    {
        Prop.ForAll(Arb.From(Gen.ArrayOf(Gen.Choose(0, 6).Select(v => (double)v), 30)), Arb.From(Gen.Choose(0, 1000)), (xs, seed) =>
        {
            var r = new LatencyGate.Randomness.SeededRandom((ulong)seed);
            var ys = xs.Select(_ => (double)r.NextInt(5)).ToArray();
            var expected = SlowTauB(xs, ys);
            var actual = RankCorrelation.Kendall(xs, ys);
            if (double.IsNaN(expected))
            {
                double.IsNaN(actual).ShouldBeTrue();
            }
            else
            {
                actual.ShouldBe(expected, 1e-12);
            }
        }).QuickCheckThrowOnFailure();
    }

    private static double SlowTauB(double[] x, double[] y)
    {
        double c = 0, d = 0, tx = 0, ty = 0;
        for (var i = 0; i < x.Length; i++)
        {
            for (var j = i + 1; j < x.Length; j++)
            {
                var sx = Math.Sign(x[i] - x[j]);
                var sy = Math.Sign(y[i] - y[j]);
                if (sx == 0 && sy == 0)
                {
                    continue;
                }

                if (sx == 0)
                {
                    tx++;
                }
                else if (sy == 0)
                {
                    ty++;
                }
                else if (sx == sy)
                {
                    c++;
                }
                else
                {
                    d++;
                }
            }
        }

        var den = Math.Sqrt((c + d + tx) * (c + d + ty));
        return den == 0 ? double.NaN : (c - d) / den;
    }
}
