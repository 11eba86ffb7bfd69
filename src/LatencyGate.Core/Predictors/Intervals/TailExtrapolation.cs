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
/// Each law gives two estimates of the c-quantile, and the larger is kept: one from all the scores
/// (their scale bounded with the asked confidence, or a prediction bound on average), one from the
/// largest score times the law's quantile ratio between c and the coverage the largest score reaches
/// (n/(n+1) on average, δ^(1/n) with confidence 1−δ).
/// </summary>
internal static class TailExtrapolation
{
    /// <summary>ξ of the Lomax law the with-confidence bound assumes.</summary>
    public const double Shape = 0.5;

    /// <summary>The bound for <paramref name="sortedScores"/> (ascending, at least one) under either promise.</summary>
    public static double HalfWidth(IReadOnlyList<double> sortedScores, double confidence, double? calibrationConfidence) =>
        calibrationConfidence is null
            ? Exponential(sortedScores, confidence, null)
            : Lomax(sortedScores, confidence, calibrationConfidence.Value, Shape);

    /// <summary>
    /// Exponential scores with mean b̂: with confidence 1−δ, b ≤ 2n·b̂/χ²₂ₙ(δ) and q = b·ln(1/(1−c));
    /// on average a new score over b̂ is F(2, 2n), so P(new &gt; q) = (1 + q/(n·b̂))^−n = 1 − c.
    /// </summary>
    public static double Exponential(IReadOnlyList<double> sortedScores, double confidence, double? calibrationConfidence)
    {
        var n = sortedScores.Count;
        var mean = sortedScores.Average();
        var fromMean = calibrationConfidence is { } g
            ? -Math.Log(1 - confidence) * 2 * n * mean / MathNet.Numerics.Distributions.ChiSquared.InvCDF(2 * n, 1 - g)
            : n * mean * (Math.Pow(1 - confidence, -1.0 / n) - 1);
        var reachable = ConformalRank.CoverageOfLargest(n, calibrationConfidence);
        var fromLargest = sortedScores[^1] * Math.Max(1, Math.Log(1 - confidence) / Math.Log(1 - reachable));
        return Math.Max(fromMean, fromLargest);
    }

    /// <summary>
    /// Lomax scores with shape ξ and scale σ: ln(1 + ξS/σ)/ξ is Exp(1), so T(σ) = Σ ln(1 + ξsᵢ/σ)/ξ is
    /// Gamma(n, 1) at the true σ and falls as σ grows; σ ≤ σ_U, where T(σ_U) is Gamma's δ-quantile, with
    /// confidence 1−δ, and q = σ_U·((1−c)^−ξ − 1)/ξ. Found by bisection on log σ (a fixed number of
    /// steps, so the same scores give the same bits).
    /// </summary>
    public static double Lomax(IReadOnlyList<double> sortedScores, double confidence, double calibrationConfidence, double shape)
    {
        var n = sortedScores.Count;
        var largest = sortedScores[^1];
        if (!(largest > 0))
        {
            return 0;
        }

        var target = MathNet.Numerics.Distributions.Gamma.InvCDF(n, 1, 1 - calibrationConfidence);
        double T(double sigma)
        {
            var sum = 0.0;
            foreach (var s in sortedScores)
            {
                sum += Math.Log(1 + (shape * s / sigma));
            }

            return sum / shape;
        }

        // T(largest·e^−60) is far above any Gamma quantile and T(largest·e^60) far below it.
        double lo = Math.Log(largest) - 60, hi = Math.Log(largest) + 60;
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

        double Quantile(double p) => (Math.Pow(1 - p, -shape) - 1) / shape;
        var fromScale = Math.Exp(hi) * Quantile(confidence);
        var fromLargest = largest * Math.Max(1, Quantile(confidence) / Quantile(ConformalRank.CoverageOfLargest(n, calibrationConfidence)));
        return Math.Max(fromScale, fromLargest);
    }
}
