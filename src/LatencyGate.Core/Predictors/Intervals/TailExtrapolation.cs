namespace LatencyGate.Predictors.Intervals;

/// <summary>
/// The half-width when n conformity scores are too few for the promise's order statistic: an
/// assumption about the scores' tail, not distribution-free. Chosen on the development split
/// (<c>false-pass-dev</c>, docs/adaptation.md): there the test archs' log errors have a heavier tail
/// than a normal's (95th percentile over mean 3.4; half-normal 2.46, exponential 3.0) and a few archs
/// err far more than most, which a handful of shots often misses.
/// <list type="bullet">
/// <item>On average (marginal): the scores as exponential (log errors Laplace).</item>
/// <item>With confidence 1−δ: the scores as Lomax (generalized Pareto) with shape
/// <see cref="Shape"/> = 0.5, the smallest shape on the grid 0, 0.25, 0.5, 1 whose bound kept the
/// promise at 10 and 20 scores there.</item>
/// </list>
/// Each law gives two estimates of the c-quantile, and the larger is kept: one from the scores' spread
/// above the smallest score (the law shifted to start at an unknown location μ ≤ the smallest score,
/// so a calibration whose errors are mostly one offset, e.g. a base from another device calibrated
/// without adaptation, is not read as a wide tail from zero; the scale bounded with the asked
/// confidence, or a prediction bound on average), and one from the largest score times the law's
/// quantile ratio between c and the coverage the largest score reaches (n/(n+1) on average, δ^(1/n)
/// with confidence 1−δ).
/// </summary>
internal static class TailExtrapolation
{
    /// <summary>
    /// In the gate's cache keys of adaptations: a cached adaptation keeps its report lines, which quote
    /// half-widths computed when it was built, so a change of these laws must not reuse them.
    /// </summary>
    public const string CacheTag = "shifted-exponential+lomax0.5";

    /// <summary>ξ of the Lomax law the with-confidence bound assumes.</summary>
    public const double Shape = 0.5;

    /// <summary>The bound for <paramref name="sortedScores"/> (ascending, at least one) under either promise.</summary>
    public static double HalfWidth(IReadOnlyList<double> sortedScores, double confidence, double? calibrationConfidence) =>
        calibrationConfidence is null
            ? Exponential(sortedScores, confidence, null)
            : Lomax(sortedScores, confidence, calibrationConfidence.Value, Shape);

    /// <summary>
    /// Exponential scores from location μ with scale b: given the smallest s₍₁₎ ≥ μ, the other n − 1 exceed it
    /// by iid Exp(b) amounts (memorylessness), and a new score exceeds s₍₁₎ + x with probability at most
    /// e^(−x/b). With m = n − 1 excesses of mean b̂: with confidence 1−δ, b ≤ 2m·b̂/χ²₂ₘ(δ) and
    /// q = s₍₁₎ + b·ln(1/(1−c)); on average a new excess over b̂ is F(2, 2m), so
    /// q = s₍₁₎ + x with (1 + x/(m·b̂))^−m = 1 − c.
    /// </summary>
    public static double Exponential(IReadOnlyList<double> sortedScores, double confidence, double? calibrationConfidence)
    {
        var n = sortedScores.Count;
        var reachable = ConformalRank.CoverageOfLargest(n, calibrationConfidence);
        var fromLargest = sortedScores[^1] * Math.Max(1, Math.Log(1 - confidence) / Math.Log(1 - reachable));
        var m = n - 1;
        if (m < 1)
        {
            return fromLargest;
        }

        var smallest = sortedScores[0];
        var excess = 0.0;
        for (var i = 1; i < n; i++)
        {
            excess += sortedScores[i] - smallest;
        }

        var mean = excess / m;
        var fromSpread = smallest + (calibrationConfidence is { } g
            ? -Math.Log(1 - confidence) * 2 * m * mean / MathNet.Numerics.Distributions.ChiSquared.InvCDF(2 * m, 1 - g)
            : m * mean * (Math.Pow(1 - confidence, -1.0 / m) - 1));
        return Math.Max(fromSpread, fromLargest);
    }

    /// <summary>
    /// Lomax (generalized Pareto) scores with shape ξ and scale σ from location μ: given the smallest
    /// s₍₁₎ ≥ μ, the other n − 1 exceed it by iid Lomax(ξ, σ′) amounts, σ′ = σ + ξ(s₍₁₎ − μ) (the law is
    /// threshold-stable), and a new score exceeds s₍₁₎ + x with probability at most that of such an
    /// excess. ln(1 + ξX/σ′)/ξ is Exp(1), so T(σ′) = Σ ln(1 + ξxᵢ/σ′)/ξ over the m = n − 1 excesses is
    /// Gamma(m, 1) at the true σ′ and falls as σ′ grows; σ′ ≤ σ_U, where T(σ_U) is Gamma's δ-quantile,
    /// with confidence 1−δ, and q = s₍₁₎ + σ_U·((1−c)^−ξ − 1)/ξ. Found by bisection on log σ (a fixed
    /// number of steps, so the same scores give the same bits).
    /// </summary>
    public static double Lomax(IReadOnlyList<double> sortedScores, double confidence, double calibrationConfidence, double shape)
    {
        var n = sortedScores.Count;
        var largest = sortedScores[^1];
        double Quantile(double p) => (Math.Pow(1 - p, -shape) - 1) / shape;
        var fromLargest = largest * Math.Max(1, Quantile(confidence) / Quantile(ConformalRank.CoverageOfLargest(n, calibrationConfidence)));
        var smallest = sortedScores[0];
        var spread = largest - smallest;
        if (n < 2 || !(spread > 0))
        {
            return fromLargest;
        }

        var target = MathNet.Numerics.Distributions.Gamma.InvCDF(n - 1, 1, 1 - calibrationConfidence);
        double T(double sigma)
        {
            var sum = 0.0;
            for (var i = 1; i < n; i++)
            {
                sum += Math.Log(1 + (shape * (sortedScores[i] - smallest) / sigma));
            }

            return sum / shape;
        }

        // T(spread·e^−60) is far above any Gamma quantile and T(spread·e^60) far below it.
        double lo = Math.Log(spread) - 60, hi = Math.Log(spread) + 60;
        for (var i = 0; i < 200; i++)
        {
            var mid = 0.5 * (lo + hi);
            if (T(Math.Exp(mid)) > target)
            {
                lo = mid;
            }
            else
            {
                hi = mid;
            }
        }

        var fromSpread = smallest + (Math.Exp(hi) * Quantile(confidence));
        return Math.Max(fromSpread, fromLargest);
    }
}
