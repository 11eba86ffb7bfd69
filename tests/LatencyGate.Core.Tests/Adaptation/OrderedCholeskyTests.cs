using FsCheck;
using FsCheck.Fluent;
using LatencyGate.Numerics;
using LatencyGate.Randomness;
using MathNet.Numerics.LinearAlgebra;
using Shouldly;
using Xunit;

namespace LatencyGate.Tests.Adaptation;

/// <summary>
/// <see cref="OrderedCholesky"/> replaced MathNet's Cholesky in the additive model's ridge for speed:
/// it must give MathNet's bits, so every fitted predictor file stays byte-identical.
/// </summary>
public sealed class OrderedCholeskyTests
{
    [Fact]
    public void Gives_MathNets_bits_on_sparse_gram_matrices_whose_triangles_differ_in_the_last_bit()
    {
        Prop.ForAll(Gen.Choose(1, 1_000_000).ToArbitrary(), Gen.Choose(1, 70).ToArbitrary(), (seed, d) =>
        {
            var (a, b) = Problem((ulong)seed, d);
            SameBits(a, b, d);
        }).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void Gives_MathNets_bits_at_the_additive_models_largest_size()
    {
        // 181 layer costs at 5 resolutions: the per-resolution form's 905 columns.
        var (a, b) = Problem(7, 905);
        SameBits(a, b, 905);
    }

    [Fact]
    public void A_matrix_that_is_not_positive_definite_is_refused_as_MathNet_refuses_it()
    {
        double[] a = [1, 2, 2, 1];
        Should.Throw<ArgumentException>(() => OrderedCholesky.Solve(a, [1.0, 1.0], 2));
        Should.Throw<ArgumentException>(() => Matrix<double>.Build.Dense(2, 2, [1.0, 2, 2, 1]).Cholesky());
    }

    private static void SameBits(double[] a, double[] b, int d)
    {
        var expected = Matrix<double>.Build.Dense(d, d, (double[])a.Clone()).Cholesky().Solve(Vector<double>.Build.Dense(b)).ToArray();
        var actual = OrderedCholesky.Solve((double[])a.Clone(), b, d);
        actual.Select(BitConverter.DoubleToInt64Bits).ShouldBe(expected.Select(BitConverter.DoubleToInt64Bits), $"d = {d}");
    }

    /// <summary>XᵀX + λI of a sparse 0/1-and-value design (as the additive model's), its lower triangle nudged by an ulp here and there.</summary>
    private static (double[] A, double[] B) Problem(ulong seed, int d)
    {
        var rng = new SeededRandom(seed);
        var rows = Math.Max(2, d / 2);
        var x = new double[rows * d];
        for (var i = 0; i < x.Length; i++)
        {
            x[i] = rng.NextDouble() < 0.2 ? (rng.NextDouble() < 0.5 ? 1.0 : 100 * rng.NextDouble()) : 0.0;
        }

        var a = new double[d * d];
        for (var i = 0; i < d; i++)
        {
            for (var j = 0; j < d; j++)
            {
                var s = 0.0;
                for (var r = 0; r < rows; r++)
                {
                    s += x[(r * d) + i] * x[(r * d) + j];
                }

                a[(i * d) + j] = s + (i == j ? 0.01 : 0.0);
                if (i > j && rng.NextDouble() < 0.3)
                {
                    a[(i * d) + j] = Math.BitIncrement(a[(i * d) + j]);
                }
            }
        }

        var b = Enumerable.Range(0, d).Select(_ => rng.NextDouble() - 0.5).ToArray();
        return (a, b);
    }
}
