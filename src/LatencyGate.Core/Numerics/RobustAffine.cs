namespace LatencyGate.Numerics;

/// <summary>
/// Robust fit of y ≈ a·x + b: Theil–Sen (median of pairwise slopes) as a start, refined by
/// Huber-weighted least squares (IRLS, a bounded number of rounds). One point gives a pure scale
/// (b = 0); scales stay positive because a latency predictor that anti-correlates is not a base.
/// </summary>
internal static class RobustAffine
{
    public static (double Scale, double Offset) Fit(ReadOnlySpan<double> x, ReadOnlySpan<double> y)
    {
        var n = x.Length;
        if (n == 0)
        {
            return (1, 0);
        }

        if (n == 1 || AllEqual(x))
        {
            var ratios = new double[n];
            for (var i = 0; i < n; i++)
            {
                ratios[i] = x[i] > 0 ? y[i] / x[i] : 1;
            }

            return (Median(ratios), 0);
        }

        var (a, b) = TheilSen(x, y);
        if (n < 4)
        {
            return Positive(a, b, x, y);
        }

        var w = new double[n];
        for (var round = 0; round < 20; round++)
        {
            var residuals = new double[n];
            for (var i = 0; i < n; i++)
            {
                residuals[i] = Math.Abs(y[i] - ((a * x[i]) + b));
            }

            var mad = Median(residuals) / 0.6745;
            var k = 1.345 * Math.Max(mad, 1e-9 * Math.Max(1, Math.Abs(Median(y.ToArray()))));
            for (var i = 0; i < n; i++)
            {
                w[i] = residuals[i] <= k ? 1 : k / residuals[i];
            }

            var (na, nb) = WeightedLeastSquares(x, y, w);
            var converged = Math.Abs(na - a) <= 1e-10 * Math.Max(1, Math.Abs(a)) && Math.Abs(nb - b) <= 1e-10 * Math.Max(1, Math.Abs(b));
            (a, b) = (na, nb);
            if (converged)
            {
                break;
            }
        }

        return Positive(a, b, x, y);
    }

    public static (double Slope, double Intercept) TheilSen(ReadOnlySpan<double> x, ReadOnlySpan<double> y)
    {
        var slopes = new List<double>(x.Length * (x.Length - 1) / 2);
        for (var i = 0; i < x.Length; i++)
        {
            for (var j = i + 1; j < x.Length; j++)
            {
                if (x[j] != x[i])
                {
                    slopes.Add((y[j] - y[i]) / (x[j] - x[i]));
                }
            }
        }

        var a = slopes.Count > 0 ? Median(slopes.ToArray()) : 1;
        var intercepts = new double[x.Length];
        for (var i = 0; i < x.Length; i++)
        {
            intercepts[i] = y[i] - (a * x[i]);
        }

        return (a, Median(intercepts));
    }

    public static double Median(double[] values)
    {
        if (values.Length == 0)
        {
            return double.NaN;
        }

        var sorted = (double[])values.Clone();
        Array.Sort(sorted);
        var m = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[m] : 0.5 * (sorted[m - 1] + sorted[m]);
    }

    private static (double, double) WeightedLeastSquares(ReadOnlySpan<double> x, ReadOnlySpan<double> y, double[] w)
    {
        double sw = 0, sx = 0, sy = 0, sxx = 0, sxy = 0;
        for (var i = 0; i < x.Length; i++)
        {
            sw += w[i];
            sx += w[i] * x[i];
            sy += w[i] * y[i];
            sxx += w[i] * x[i] * x[i];
            sxy += w[i] * x[i] * y[i];
        }

        var det = (sw * sxx) - (sx * sx);
        if (Math.Abs(det) < 1e-15 * Math.Max(1, sw * sxx))
        {
            return (sy / Math.Max(sx, 1e-300), 0);
        }

        var a = ((sw * sxy) - (sx * sy)) / det;
        return (a, (sy - (a * sx)) / sw);
    }

    private static (double, double) Positive(double a, double b, ReadOnlySpan<double> x, ReadOnlySpan<double> y)
    {
        if (a > 0 && double.IsFinite(a) && double.IsFinite(b))
        {
            return (a, b);
        }

        var ratios = new double[x.Length];
        for (var i = 0; i < x.Length; i++)
        {
            ratios[i] = x[i] > 0 ? y[i] / x[i] : 1;
        }

        return (Median(ratios), 0);
    }

    private static bool AllEqual(ReadOnlySpan<double> x)
    {
        for (var i = 1; i < x.Length; i++)
        {
            if (x[i] != x[0])
            {
                return false;
            }
        }

        return true;
    }
}
