using FsCheck;
using FsCheck.Fluent;
using LatencyGate.Numerics;
using LatencyGate.Randomness;
using Shouldly;
using Xunit;

namespace LatencyGate.Tests.Adaptation;

public sealed class NumericsTests
{
    [Fact]
    public void Robust_affine_ignores_outliers_where_least_squares_would_not()
    {
        var rng = new SeededRandom(3);
        var x = Enumerable.Range(0, 40).Select(i => 10 + i + rng.NextDouble()).ToArray();
        var y = x.Select(v => (0.6 * v) + 1.5 + (0.01 * rng.NextGaussian())).ToArray();
        y[3] = 500;
        y[17] = -200;
        var (a, b) = RobustAffine.Fit(x, y);
        a.ShouldBe(0.6, 0.01);
        b.ShouldBe(1.5, 0.3);
    }

    [Fact]
    public void One_point_gives_a_pure_rescale()
    {
        var (a, b) = RobustAffine.Fit([10.0], [25.0]);
        a.ShouldBe(2.5);
        b.ShouldBe(0);
    }

    [Fact]
    public void Dual_ridge_equals_primal_ridge()
    {
        // Fewer rows than unknowns takes the dual path; compare with the primal on the same problem padded by zero-weight rows.
        Prop.ForAll(Gen.Choose(1, 1_000_000).ToArbitrary(), seed =>
        {
            var rng = new SeededRandom((ulong)seed);
            var n = 4 + rng.NextInt(5);
            var p = n + 2 + rng.NextInt(6);
            var x = Enumerable.Range(0, n).Select(_ => Enumerable.Range(0, p).Select(_ => rng.NextGaussian()).ToArray()).ToArray();
            var y = Enumerable.Range(0, n).Select(_ => rng.NextGaussian()).ToArray();
            var penalty = Enumerable.Range(0, p).Select(_ => 0.1 + rng.NextDouble()).ToArray();
            var prior = Enumerable.Range(0, p).Select(_ => rng.NextGaussian()).ToArray();
            var dual = LinearSolve.Ridge(x, y, penalty, prior);
            var padded = x.Concat(Enumerable.Range(0, p).Select(_ => new double[p])).ToArray();
            var paddedY = y.Concat(new double[p]).ToArray();
            var primal = LinearSolve.Ridge(padded, paddedY, penalty, prior, Enumerable.Repeat(1.0, n).Concat(new double[p]).ToArray());
            for (var j = 0; j < p; j++)
            {
                Math.Abs(dual[j] - primal[j]).ShouldBeLessThan(1e-6 * (1 + Math.Abs(primal[j])));
            }
        }).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void Non_negative_ridge_keeps_signs_and_matches_least_squares_when_unconstrained()
    {
        var rng = new SeededRandom(11);
        var truth = new[] { 2.0, 0.0, 1.0, 3.0 };
        var x = Enumerable.Range(0, 200).Select(_ => Enumerable.Range(0, 4).Select(_ => rng.NextDouble()).ToArray()).ToArray();
        var y = x.Select(r => FixedOrder.Dot(r, truth) - (0.3 * r[1])).ToArray();
        var beta = LinearSolve.NonNegativeRidge(x, y, new double[4], [true, true, true, true]);
        beta.ShouldAllBe(v => v >= 0);
        beta[1].ShouldBe(0);
        var free = LinearSolve.NonNegativeRidge(x, y, new double[4], [false, false, false, false]);
        free[1].ShouldBe(-0.3, 1e-6);
        free[3].ShouldBe(3.0, 1e-6);
    }
}
