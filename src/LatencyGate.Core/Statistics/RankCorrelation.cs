namespace LatencyGate.Statistics;

/// <summary>Spearman's ρ and Kendall's τ-b, both handling ties; the measures of latency monotonicity.</summary>
internal static class RankCorrelation
{
    /// <summary>Spearman's ρ: Pearson correlation of average ranks (ties share their mean rank).</summary>
    public static double Spearman(ReadOnlySpan<double> x, ReadOnlySpan<double> y)
    {
        CheckLengths(x, y);
        var rx = Ranks(x);
        var ry = Ranks(y);
        return Pearson(rx, ry);
    }

    /// <summary>Pearson's r; NaN when either side is constant.</summary>
    public static double Pearson(ReadOnlySpan<double> x, ReadOnlySpan<double> y)
    {
        CheckLengths(x, y);
        var n = x.Length;
        double mx = 0, my = 0;
        for (var i = 0; i < n; i++)
        {
            mx += x[i];
            my += y[i];
        }

        mx /= n;
        my /= n;
        double sxy = 0, sxx = 0, syy = 0;
        for (var i = 0; i < n; i++)
        {
            var dx = x[i] - mx;
            var dy = y[i] - my;
            sxy += dx * dy;
            sxx += dx * dx;
            syy += dy * dy;
        }

        return sxx == 0 || syy == 0 ? double.NaN : sxy / Math.Sqrt(sxx * syy);
    }

    /// <summary>Average ranks, 1-based, ties sharing the mean of their positions.</summary>
    public static double[] Ranks(ReadOnlySpan<double> values)
    {
        var n = values.Length;
        var order = new int[n];
        for (var i = 0; i < n; i++)
        {
            order[i] = i;
        }

        var keys = values.ToArray();
        Array.Sort(keys, order);
        var ranks = new double[n];
        var start = 0;
        while (start < n)
        {
            var end = start + 1;
            while (end < n && keys[end] == keys[start])
            {
                end++;
            }

            var rank = ((start + end - 1) / 2.0) + 1.0;
            for (var k = start; k < end; k++)
            {
                ranks[order[k]] = rank;
            }

            start = end;
        }

        return ranks;
    }

    /// <summary>Kendall's τ-b in O(n log n) (Knight's algorithm); NaN when either side is constant.</summary>
    public static double Kendall(ReadOnlySpan<double> x, ReadOnlySpan<double> y)
    {
        CheckLengths(x, y);
        var n = x.Length;
        var idx = new int[n];
        for (var i = 0; i < n; i++)
        {
            idx[i] = i;
        }

        var xs = x.ToArray();
        var ys = y.ToArray();
        Array.Sort(idx, (a, b) =>
        {
            var c = xs[a].CompareTo(xs[b]);
            return c != 0 ? c : ys[a].CompareTo(ys[b]);
        });

        long n0 = (long)n * (n - 1) / 2;
        long tiesX = 0, tiesXy = 0;
        long runX = 1, runXy = 1;
        for (var i = 1; i < n; i++)
        {
            if (xs[idx[i]] == xs[idx[i - 1]])
            {
                runX++;
                runXy = ys[idx[i]] == ys[idx[i - 1]] ? runXy + 1 : FlushRun(ref tiesXy, runXy);
            }
            else
            {
                FlushRun(ref tiesX, runX);
                FlushRun(ref tiesXy, runXy);
                runX = 1;
                runXy = 1;
            }
        }

        FlushRun(ref tiesX, runX);
        FlushRun(ref tiesXy, runXy);

        // Sorting by y with merge sort counts the discordant pairs as swaps.
        var yOrder = new double[n];
        for (var i = 0; i < n; i++)
        {
            yOrder[i] = ys[idx[i]];
        }

        var swaps = MergeSortCountingSwaps(yOrder, new double[n], 0, n);
        long tiesY = 0, runY = 1;
        for (var i = 1; i < n; i++)
        {
            if (yOrder[i] == yOrder[i - 1])
            {
                runY++;
            }
            else
            {
                FlushRun(ref tiesY, runY);
                runY = 1;
            }
        }

        FlushRun(ref tiesY, runY);
        var concordantMinusDiscordant = n0 - tiesX - tiesY + tiesXy - (2 * swaps);
        var denominator = Math.Sqrt((double)(n0 - tiesX) * (n0 - tiesY));
        return denominator == 0 ? double.NaN : concordantMinusDiscordant / denominator;
    }

    private static long FlushRun(ref long total, long run)
    {
        total += run * (run - 1) / 2;
        return 1;
    }

    private static long MergeSortCountingSwaps(double[] a, double[] buffer, int lo, int hi)
    {
        if (hi - lo < 2)
        {
            return 0;
        }

        var mid = (lo + hi) / 2;
        var swaps = MergeSortCountingSwaps(a, buffer, lo, mid) + MergeSortCountingSwaps(a, buffer, mid, hi);
        int i = lo, j = mid, k = lo;
        while (i < mid && j < hi)
        {
            if (a[j] < a[i])
            {
                swaps += mid - i;
                buffer[k++] = a[j++];
            }
            else
            {
                buffer[k++] = a[i++];
            }
        }

        while (i < mid)
        {
            buffer[k++] = a[i++];
        }

        while (j < hi)
        {
            buffer[k++] = a[j++];
        }

        Array.Copy(buffer, lo, a, lo, hi - lo);
        return swaps;
    }

    private static void CheckLengths(ReadOnlySpan<double> x, ReadOnlySpan<double> y)
    {
        if (x.Length != y.Length)
        {
            throw new ArgumentException("Both series must have the same length.", nameof(y));
        }

        if (x.Length < 2)
        {
            throw new ArgumentException("At least two points are needed.", nameof(x));
        }
    }
}
