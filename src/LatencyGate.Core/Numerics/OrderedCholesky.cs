namespace LatencyGate.Numerics;

/// <summary>
/// Solves A x = b for a symmetric positive definite A by a Cholesky factorization, with the same
/// operations in the same order as MathNet's managed <c>Cholesky().Solve</c> (every entry of the factor
/// subtracts its products k = 0, 1, … one by one, multiply then subtract; the substitutions run as
/// MathNet's do), so the bits are MathNet's: a test compares them. Why not call MathNet: its
/// right-looking factorization streams the whole trailing matrix once per column and splits that over
/// the thread pool; at the additive model's 905 columns it took about three times the CPU of this
/// left-looking one, which reads each row's prefix once for two columns, and the suite's fits did
/// about thirty such solves each.
/// </summary>
internal static class OrderedCholesky
{
    /// <summary>
    /// Solves in place of <paramref name="a"/> (d × d, overwritten by its factor). As MathNet given this
    /// array as column-major storage, only the upper triangle of the row-major array is read: a Gram matrix
    /// whose two triangles differ in the last bit (products summed in another order) gives MathNet's answer.
    /// </summary>
    /// <exception cref="ArgumentException">A is not positive definite (as MathNet throws).</exception>
    public static double[] Solve(double[] a, ReadOnlySpan<double> b, int d)
    {
        for (var i = 1; i < d; i++)
        {
            for (var j = 0; j < i; j++)
            {
                a[(i * d) + j] = a[(j * d) + i];
            }
        }

        Factor(a, d);
        var x = b.ToArray();
        for (var i = 0; i < d; i++)
        {
            var s = x[i];
            for (var k = i - 1; k >= 0; k--)
            {
                s -= a[(i * d) + k] * x[k];
            }

            x[i] = s / a[(i * d) + i];
        }

        for (var i = d - 1; i >= 0; i--)
        {
            var s = x[i];
            for (var k = i + 1; k < d; k++)
            {
                s -= a[(k * d) + i] * x[k];
            }

            x[i] = s / a[(i * d) + i];
        }

        return x;
    }

    /// <summary>The lower factor L (A = L Lᵀ) in the lower triangle of <paramref name="a"/>; the upper triangle is left as it was.</summary>
    private static void Factor(double[] a, int d)
    {
        var j = 0;
        for (; j + 1 < d; j += 2)
        {
            // Columns j and j + 1 together: each row's prefix is read once for both.
            var rowJ = j * d;
            var rowJ1 = rowJ + d;
            var diag0 = Diagonal(a, d, j);
            Entry(a, d, j + 1, j, diag0);
            var diag1 = Diagonal(a, d, j + 1);
            var i = j + 2;
            for (; i + 1 < d; i += 2)
            {
                var r0 = i * d;
                var r1 = r0 + d;
                double s00 = a[r0 + j], s01 = a[r0 + j + 1], s10 = a[r1 + j], s11 = a[r1 + j + 1];
                for (var k = 0; k < j; k++)
                {
                    double l0 = a[rowJ + k], l1 = a[rowJ1 + k], x0 = a[r0 + k], x1 = a[r1 + k];
                    s00 -= x0 * l0;
                    s01 -= x0 * l1;
                    s10 -= x1 * l0;
                    s11 -= x1 * l1;
                }

                var v0 = s00 / diag0;
                var v1 = s10 / diag0;
                a[r0 + j] = v0;
                a[r1 + j] = v1;
                var l = a[rowJ1 + j];
                s01 -= v0 * l;
                s11 -= v1 * l;
                a[r0 + j + 1] = s01 / diag1;
                a[r1 + j + 1] = s11 / diag1;
            }

            for (; i < d; i++)
            {
                Entry(a, d, i, j, diag0);
                Entry(a, d, i, j + 1, diag1);
            }
        }

        if (j < d)
        {
            Diagonal(a, d, j);
        }
    }

    private static double Diagonal(double[] a, int d, int j)
    {
        var rowJ = j * d;
        var s = a[rowJ + j];
        for (var k = 0; k < j; k++)
        {
            s -= a[rowJ + k] * a[rowJ + k];
        }

        if (!(s > 0.0))
        {
            throw new ArgumentException("Matrix must be positive definite.", nameof(a));
        }

        return a[rowJ + j] = Math.Sqrt(s);
    }

    /// <summary>Entry (i, j) of the factor from row i's first j entries.</summary>
    private static void Entry(double[] a, int d, int i, int j, double diag)
    {
        var r = i * d;
        var rowJ = j * d;
        var t = a[r + j];
        for (var k = 0; k < j; k++)
        {
            t -= a[r + k] * a[rowJ + k];
        }

        a[r + j] = t / diag;
    }
}
