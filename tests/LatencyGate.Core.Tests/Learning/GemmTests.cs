using FsCheck;
using FsCheck.Fluent;
using LatencyGate.Learning;
using LatencyGate.Randomness;
using Shouldly;
using Xunit;

namespace LatencyGate.Tests.Learning;

public sealed class GemmTests
{
    [Theory]
    [InlineData(1, 1, 1, false, false)]
    [InlineData(7, 17, 5, false, true)]
    [InlineData(13, 33, 300, true, false)]
    [InlineData(100, 400, 128, false, true)]
    [InlineData(200, 300, 270, true, true)]
    [InlineData(6, 16, 0, false, false)]
    public void Matches_the_naive_product(int m, int n, int k, bool transA, bool transB)
    {
        var random = new SeededRandom(42);
        var a = RandomArray(random, m * k);
        var b = RandomArray(random, k * n);
        var c = RandomArray(random, m * n);
        var expected = Naive(m, n, k, a, transA, b, transB, c, accumulate: true);
        Gemm.Multiply(m, n, k, a, 0, transA ? m : k, transA, b, 0, transB ? k : n, transB, c, 0, n, accumulate: true);
        for (var i = 0; i < c.Length; i++)
        {
            c[i].ShouldBe(expected[i], 1e-3 * (1 + Math.Abs(expected[i])));
        }
    }

    [Fact]
    public void Random_shapes_agree_with_the_naive_product()
    {
        var shapes = from m in Gen.Choose(1, 40) from n in Gen.Choose(1, 40) from k in Gen.Choose(1, 40) from t in Gen.Choose(0, 3) select (m, n, k, t);
        Prop.ForAll(shapes.ToArbitrary(), s =>
        {
            var (m, n, k, t) = s;
            var random = new SeededRandom((ulong)((m * 10007) + (n * 101) + k));
            var a = RandomArray(random, m * k);
            var b = RandomArray(random, k * n);
            var c = new float[m * n];
            var expected = Naive(m, n, k, a, (t & 1) != 0, b, (t & 2) != 0, c, accumulate: false);
            Gemm.Multiply(m, n, k, a, 0, (t & 1) != 0 ? m : k, (t & 1) != 0, b, 0, (t & 2) != 0 ? k : n, (t & 2) != 0, c, 0, n, accumulate: false);
            return c.Zip(expected).All(p => Math.Abs(p.First - p.Second) <= 1e-4 * (1 + Math.Abs(p.Second)));
        }).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void Same_bits_with_one_or_two_threads()
    {
        var random = new SeededRandom(7);
        var a = RandomArray(random, 500 * 400);
        var b = RandomArray(random, 400 * 300);
        var one = new float[500 * 300];
        var two = new float[500 * 300];
        using (Parallelism.Limit(1))
        {
            Gemm.Multiply(500, 300, 400, a, 0, 400, false, b, 0, 300, false, one, 0, 300, false);
        }

        using (Parallelism.Limit(2))
        {
            Gemm.Multiply(500, 300, 400, a, 0, 400, false, b, 0, 300, false, two, 0, 300, false);
        }

        one.ShouldBe(two);
    }

    [Fact]
    public void Refuses_a_matrix_that_overruns_its_array()
    {
        Should.Throw<ArgumentException>(() => Gemm.Multiply(4, 4, 4, new float[15], 0, 4, false, new float[16], 0, 4, false, new float[16], 0, 4, false));
    }

    internal static float[] RandomArray(SeededRandom random, int n)
    {
        var result = new float[n];
        for (var i = 0; i < n; i++)
        {
            result[i] = (float)((random.NextDouble() * 2) - 1);
        }

        return result;
    }

    private static float[] Naive(int m, int n, int k, float[] a, bool transA, float[] b, bool transB, float[] c, bool accumulate)
    {
        var result = new float[m * n];
        for (var i = 0; i < m; i++)
        {
            for (var j = 0; j < n; j++)
            {
                double sum = accumulate ? c[(i * n) + j] : 0;
                for (var p = 0; p < k; p++)
                {
                    var av = transA ? a[(p * m) + i] : a[(i * k) + p];
                    var bv = transB ? b[(j * k) + p] : b[(p * n) + j];
                    sum += (double)av * bv;
                }

                result[(i * n) + j] = (float)sum;
            }
        }

        return result;
    }
}
