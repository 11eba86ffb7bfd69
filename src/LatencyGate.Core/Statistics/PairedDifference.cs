namespace LatencyGate.Statistics;

/// <summary>
/// The standard error of the mean of paired differences: what the one-standard-error rules of
/// <c>auto</c> and of the additive form choice compare a gap in cross-validated error against.
/// </summary>
internal static class PairedDifference
{
    /// <summary>Standard error of mean(a − b); infinite with fewer than two pairs.</summary>
    public static double StandardError(double[] a, double[] b)
    {
        var n = a.Length;
        var mean = 0.0;
        for (var i = 0; i < n; i++)
        {
            mean += a[i] - b[i];
        }

        mean /= n;
        var ss = 0.0;
        for (var i = 0; i < n; i++)
        {
            var d = a[i] - b[i] - mean;
            ss += d * d;
        }

        return n > 1 ? Math.Sqrt(ss / (n - 1) / n) : double.PositiveInfinity;
    }
}
