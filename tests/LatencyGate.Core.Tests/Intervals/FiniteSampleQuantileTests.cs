using LatencyGate.Predictors.Intervals;
using LatencyGate.Randomness;
using LatencyGate.Tests.Adaptation;
using Shouldly;
using Xunit;

namespace LatencyGate.Tests.Intervals;

/// <summary>
/// The conformal rank's two promises on synthetic exchangeable scores. Scores are Uniform(0, 1), so
/// a half-width q covers a new score with probability exactly q: each trial's coverage is known
/// without test draws, and the Monte-Carlo error is that of the trials alone (fixed seed).
/// </summary>
public sealed class FiniteSampleQuantileTests
{
    private const int Trials = 4000;

    private static readonly LatencyGate.Spaces.Arch[] Archs = AdaptationTestData.RandomArchs(2, 3);

    private sealed class UnitPredictor() : LatencyGate.Adaptation.PointPredictor(LatencyGate.Spaces.OfaSpace.W12)
    {
        public override string Description => "1 ms";

        public override double PredictOne(LatencyGate.Spaces.Arch arch) => 1;
    }

    /// <summary>Per trial: the coverage P(new score ≤ q) of the half-width built on n fresh uniform scores.</summary>
    private static double[] Coverages(int n, double confidence, double? calibrationConfidence, ulong seed)
    {
        var rng = new SeededRandom(seed);
        var coverages = new double[Trials];
        for (var t = 0; t < Trials; t++)
        {
            var scores = new double[n];
            for (var i = 0; i < n; i++)
            {
                scores[i] = rng.NextDouble();
            }

            var conformal = new ConformalPredictor(new UnitPredictor(), scores, "synthetic");
            coverages[t] = Math.Min(1, conformal.HalfWidth(confidence, calibrationConfidence));
        }

        return coverages;
    }

    [Theory]
    [InlineData(19, 0.95)]
    [InlineData(30, 0.9)]
    [InlineData(50, 0.95)]
    [InlineData(200, 0.9)]
    public void Marginal_rank_covers_at_least_nominal_on_average_and_not_much_more(int n, double confidence)
    {
        var coverage = Coverages(n, confidence, null, (ulong)n).Average();
        // Monte-Carlo tolerance: 4 standard errors of a mean of Beta(k, n+1−k) draws.
        var k = ConformalRank.Rank(n, confidence, null);
        var sd = Math.Sqrt(k * (n + 1.0 - k) / ((n + 1.0) * (n + 1.0) * (n + 2.0)));
        var tolerance = 4 * sd / Math.Sqrt(Trials);
        coverage.ShouldBeGreaterThanOrEqualTo(confidence - tolerance);
        coverage.ShouldBeLessThanOrEqualTo((k / (n + 1.0)) + tolerance, "the ⌈(n+1)c⌉-th score is the smallest that keeps the promise");
        k.ShouldBe((int)Math.Ceiling((n + 1) * confidence));
    }

    [Theory]
    [InlineData(50, 0.95)]
    [InlineData(100, 0.9)]
    [InlineData(300, 0.95)]
    public void With_confidence_rank_falls_short_of_nominal_in_at_most_delta_of_calibration_sets(int n, double confidence)
    {
        const double delta = 0.1;
        var shortfall = Coverages(n, confidence, 1 - delta, 100 + (ulong)n).Count(c => c < confidence) / (double)Trials;
        var tolerance = 4 * Math.Sqrt(delta * (1 - delta) / Trials);
        shortfall.ShouldBeLessThanOrEqualTo(delta + tolerance);

        // The marginal rank does not keep this promise: 28–45 % of its calibration sets fall short here.
        var marginalShortfall = Coverages(n, confidence, null, 100 + (ulong)n).Count(c => c < confidence) / (double)Trials;
        marginalShortfall.ShouldBeGreaterThan(0.2);
    }

    [Fact]
    public void Rank_matches_the_beta_law_and_the_binomial_tail()
    {
        // P(Beta(k, n+1−k) < c) = P(Binomial(n, c) ≥ k), computed here from the binomial sum.
        const int n = 60;
        const double c = 0.9;
        var k = ConformalRank.Rank(n, c, 0.9);
        double Tail(int from) => Enumerable.Range(from, n - from + 1).Sum(j => MathNet.Numerics.Distributions.Binomial.PMF(c, n, j));
        Tail(k).ShouldBeLessThanOrEqualTo(0.1);
        Tail(k - 1).ShouldBeGreaterThan(0.1, "the rank is the smallest that qualifies");
        ConformalRank.CoverageShortfall(k, n, c).ShouldBe(Tail(k), 1e-9);
        ConformalRank.MinimumCount(0.95, 0.9).ShouldBe(45, "0.95^45 ≤ 0.1 < 0.95^44: the largest of n scores needs n ≥ 45");
        ConformalRank.MinimumCount(0.95, null).ShouldBe(19);
    }

    /// <summary>
    /// Below the rank's minimum count (45 scores at 0.95 with confidence 0.9, 19 marginal) the bound is
    /// an assumed tail (<see cref="TailExtrapolation"/>). Monte Carlo over 4,000 calibration sets of n
    /// scores with unit scale, whose coverage is known: exponential scores (Laplace log errors),
    /// 1 − e^−q; half-normal scores (normal log errors), 2Φ(q) − 1. The bound keeps both promises under
    /// both laws; the Student-t extrapolation of the largest score it replaced (computed here as it was)
    /// fell short of the with-confidence promise in about 17 % (n = 10) and 15 % (n = 20) of Laplace
    /// calibration sets (under normal log errors it held: about 7 % and 9 %).
    /// </summary>
    [Theory]
    [InlineData(10)]
    [InlineData(20)]
    public void With_too_few_scores_the_bound_keeps_both_promises_under_laplace_and_normal_log_errors_and_the_t_extrapolation_did_not(int n)
    {
        const double c = 0.95;
        const double delta = 0.1;
        var rng = new SeededRandom(300 + (ulong)n);
        int shortLaplace = 0, shortNormal = 0, shortOldLaplace = 0;
        var marginalLaplace = new double[Trials];
        var marginalNormal = new double[Trials];
        var tOld = MathNet.Numerics.Distributions.StudentT.InvCDF(0, 1, n - 1, 0.5 + (c / 2)) / MathNet.Numerics.Distributions.StudentT.InvCDF(0, 1, n - 1, 0.5 + (Math.Pow(delta, 1.0 / n) / 2));
        for (var t = 0; t < Trials; t++)
        {
            var laplace = Enumerable.Range(0, n).Select(_ => -Math.Log(1 - rng.NextDouble())).ToArray();
            var normal = Enumerable.Range(0, n).Select(_ => Math.Abs(rng.NextGaussian())).ToArray();
            var onLaplace = new ConformalPredictor(new UnitPredictor(), laplace, "synthetic");
            var onNormal = new ConformalPredictor(new UnitPredictor(), normal, "synthetic");
            shortLaplace += 1 - Math.Exp(-onLaplace.HalfWidth(c, 1 - delta)) < c ? 1 : 0;
            shortNormal += NormalCoverage(onNormal.HalfWidth(c, 1 - delta)) < c ? 1 : 0;
            shortOldLaplace += 1 - Math.Exp(-(laplace.Max() * tOld)) < c ? 1 : 0;
            marginalLaplace[t] = 1 - Math.Exp(-onLaplace.HalfWidth(c, null));
            marginalNormal[t] = NormalCoverage(onNormal.HalfWidth(c, null));
        }

        var tolerance = 4 * Math.Sqrt(delta * (1 - delta) / Trials);
        (shortLaplace / (double)Trials).ShouldBeLessThanOrEqualTo(delta + tolerance);
        (shortNormal / (double)Trials).ShouldBeLessThanOrEqualTo(delta + tolerance);
        (shortOldLaplace / (double)Trials).ShouldBeGreaterThan(delta + tolerance, "the t-extrapolated largest score does not keep the promise under Laplace log errors");
        if (n < ConformalRank.MinimumCount(c, null))
        {
            marginalLaplace.Average().ShouldBeGreaterThanOrEqualTo(c - (4 * StandardError(marginalLaplace)));
            marginalNormal.Average().ShouldBeGreaterThanOrEqualTo(c - (4 * StandardError(marginalNormal)));
        }
    }

    /// <summary>
    /// Under the law the with-confidence bound assumes (Lomax, shape 0.5, P(S &gt; s) = (1 + s/2)^−2 at
    /// unit scale) it keeps the promise at n = 10 and 20 and is not much wider than it must be (its
    /// scale estimate alone would fall short in exactly δ of the sets; the larger of the two estimates
    /// in fewer); the exponential bound (what the gate used before) falls short far more often.
    /// </summary>
    [Theory]
    [InlineData(10)]
    [InlineData(20)]
    public void Under_the_assumed_lomax_tail_the_with_confidence_bound_keeps_its_promise_and_the_exponential_does_not(int n)
    {
        const double c = 0.95;
        const double delta = 0.1;
        const double xi = TailExtrapolation.Shape;
        var rng = new SeededRandom(400 + (ulong)n);
        int shortLomax = 0, shortExponential = 0;
        double Coverage(double q) => 1 - Math.Pow(1 + (xi * q), -1 / xi);
        for (var t = 0; t < Trials; t++)
        {
            var scores = Enumerable.Range(0, n).Select(_ => (Math.Pow(1 - rng.NextDouble(), -xi) - 1) / xi).ToArray();
            var conformal = new ConformalPredictor(new UnitPredictor(), scores, "synthetic");
            shortLomax += Coverage(conformal.HalfWidth(c, 1 - delta)) < c ? 1 : 0;
            shortExponential += Coverage(TailExtrapolation.Exponential([.. scores.Order()], c, 1 - delta)) < c ? 1 : 0;
        }

        var tolerance = 4 * Math.Sqrt(delta * (1 - delta) / Trials);
        (shortLomax / (double)Trials).ShouldBeLessThanOrEqualTo(delta + tolerance);
        (shortLomax / (double)Trials).ShouldBeGreaterThan(0.02, "the bound is not needlessly wide under its own law");
        (shortExponential / (double)Trials).ShouldBeGreaterThan(delta + tolerance);
    }

    private static double NormalCoverage(double q) => (2 * MathNet.Numerics.Distributions.Normal.CDF(0, 1, q)) - 1;

    private static double StandardError(double[] values)
    {
        var mean = values.Average();
        return Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / (values.Length - 1) / values.Length);
    }

    [Theory]
    [InlineData(10)]
    [InlineData(20)]
    [InlineData(45)]
    [InlineData(100)]
    public void With_few_shots_the_corrected_interval_is_wider_and_the_difference_fades_with_many(int n)
    {
        var rng = new SeededRandom(7);
        var scores = Enumerable.Range(0, n).Select(_ => Math.Abs(0.1 * rng.NextGaussian())).ToArray();
        var conformal = new ConformalPredictor(new UnitPredictor(), scores, "synthetic");
        var marginal = conformal.HalfWidth(0.95, null);
        var corrected = conformal.WithCalibrationConfidence(0.9);
        corrected.HalfWidth(0.95).ShouldBeGreaterThan(marginal);
        corrected.IsFiniteSampleValid(0.95).ShouldBe(n >= 45);
        conformal.IsFiniteSampleValid(0.95).ShouldBe(n >= 19);

        var estimates = new LatencyGate.Predictors.LatencyEstimate[1];
        corrected.PredictWithInterval(Archs[..1], 0.95, estimates);
        estimates[0].UpperMs.ShouldBe(Math.Exp(corrected.HalfWidth(0.95)), 1e-12);
        estimates[0].Ms.ShouldBe(1);
        corrected.Description.ShouldContain("with confidence 0.9");
    }

    [Fact]
    public void With_many_scores_the_two_promises_nearly_agree()
    {
        var rng = new SeededRandom(8);
        var scores = Enumerable.Range(0, 5000).Select(_ => Math.Abs(0.1 * rng.NextGaussian())).ToArray();
        var conformal = new ConformalPredictor(new UnitPredictor(), scores, "synthetic");
        var ratio = conformal.HalfWidth(0.95, 0.9) / conformal.HalfWidth(0.95, null);
        ratio.ShouldBeInRange(1.0, 1.05);
    }
}
