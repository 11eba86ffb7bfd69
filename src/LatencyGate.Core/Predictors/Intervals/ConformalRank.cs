using MathNet.Numerics.Distributions;

namespace LatencyGate.Predictors.Intervals;

/// <summary>
/// Which order statistic of n exchangeable conformity scores bounds a new one. With continuous
/// scores, the coverage P(new score ≤ k-th smallest | calibration set) is Beta(k, n+1−k)
/// distributed over calibration sets, with mean k/(n+1):
/// <list type="bullet">
/// <item>marginal: k = ⌈(n+1)·c⌉, the smallest rank whose mean coverage is at least c;</item>
/// <item>with confidence 1−δ (Vovk 2012, "training-conditional"): the smallest k whose coverage is
/// below c with probability at most δ, i.e. P(Beta(k, n+1−k) &lt; c) = P(Binomial(n, c) ≥ k) ≤ δ.</item>
/// </list>
/// A rank above n means n scores cannot keep the promise without an assumption about the tail.
/// </summary>
internal static class ConformalRank
{
    /// <summary>The 1-based rank for coverage <paramref name="confidence"/>, marginal (null) or held with <paramref name="calibrationConfidence"/>; n + 1 when no rank ≤ n keeps the promise.</summary>
    public static int Rank(int n, double confidence, double? calibrationConfidence)
    {
        if (n <= 0)
        {
            return n + 1;
        }

        var marginal = (int)Math.Min(n + 1, Math.Ceiling((n + 1) * confidence));
        if (calibrationConfidence is not { } g)
        {
            return marginal;
        }

        // P(Beta(k, n+1−k) < c) = P(Binomial(n, c) ≥ k) falls as k grows: binary search for the first k within δ.
        var delta = 1 - g;
        if (CoverageShortfall(n, n, confidence) > delta)
        {
            return n + 1;
        }

        var (lo, hi) = (1, n);
        while (lo < hi)
        {
            var mid = lo + ((hi - lo) / 2);
            if (CoverageShortfall(mid, n, confidence) <= delta)
            {
                hi = mid;
            }
            else
            {
                lo = mid + 1;
            }
        }

        return lo;
    }

    /// <summary>The fewest scores whose order statistics keep the promise (a bounded search: at most 100,000).</summary>
    public static int MinimumCount(double confidence, double? calibrationConfidence)
    {
        var n = 1;
        while (n < 100_000 && Rank(n, confidence, calibrationConfidence) > n)
        {
            n++;
        }

        return n;
    }

    /// <summary>P(coverage of the k-th smallest of n scores &lt; c) = P(Beta(k, n+1−k) &lt; c).</summary>
    public static double CoverageShortfall(int k, int n, double confidence) => Beta.CDF(k, n + 1 - k, confidence);

    /// <summary>
    /// The coverage the largest of n scores reaches: on average n/(n+1) (marginal), or with
    /// probability 1−δ the δ-quantile of Beta(n, 1), δ^(1/n).
    /// </summary>
    public static double CoverageOfLargest(int n, double? calibrationConfidence) =>
        calibrationConfidence is { } g ? Math.Pow(1 - g, 1.0 / n) : n / (double)(n + 1);
}
