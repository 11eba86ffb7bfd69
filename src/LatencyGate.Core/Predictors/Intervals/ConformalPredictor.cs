using System.Globalization;
using LatencyGate.Diagnostics;
using LatencyGate.Spaces;

namespace LatencyGate.Predictors.Intervals;

/// <summary>
/// Split-conformal intervals around any predictor, on a log scale: the conformity score of a held-out
/// measurement is |ln(measured) − ln(predicted)|, so the interval is multiplicative,
/// [ŷ·e^−q, ŷ·e^q], as latency errors are (they grow with latency across orders of magnitude). q is the
/// ⌈(n+1)·c⌉-th smallest of the n scores, which covers a new exchangeable measurement with probability
/// at least c. When n is too small for c (⌈(n+1)·c⌉ &gt; n) the bound is the largest score inflated by
/// a Student-t factor, and <see cref="IsFiniteSampleValid"/> says so.
/// </summary>
public sealed class ConformalPredictor : ILatencyPredictor
{
    private readonly ILatencyPredictor _inner;
    private readonly double[] _scores;

    internal ConformalPredictor(ILatencyPredictor inner, IEnumerable<double> scores, string calibrationDescription)
    {
        _inner = inner;
        _scores = scores.Where(double.IsFinite).Order().ToArray();
        CalibrationDescription = calibrationDescription;
    }

    /// <summary>Calibrates <paramref name="inner"/> on held-out measurements (archs not used to fit it).</summary>
    public static ConformalPredictor Calibrate(ILatencyPredictor inner, IReadOnlyList<Arch> archs, IReadOnlyList<double> measuredMs)
    {
        var a = archs.ToArray();
        var predicted = new double[a.Length];
        inner.Predict(a, predicted);
        return new ConformalPredictor(inner, Scores(predicted, measuredMs), string.Create(CultureInfo.InvariantCulture, $"split-conformal on {a.Length} held-out measurements"));
    }

    /// <summary>Log-ratio conformity scores.</summary>
    public static IEnumerable<double> Scores(IReadOnlyList<double> predictedMs, IReadOnlyList<double> measuredMs)
    {
        for (var i = 0; i < predictedMs.Count; i++)
        {
            if (predictedMs[i] > 0 && measuredMs[i] > 0)
            {
                yield return Math.Abs(Math.Log(measuredMs[i]) - Math.Log(predictedMs[i]));
            }
        }
    }

    public string Description => $"{_inner.Description}, intervals: {CalibrationDescription}";

    public string CalibrationDescription { get; }

    public ILatencyPredictor Inner => _inner;

    public int CalibrationCount => _scores.Length;

    /// <summary>The finite conformity scores, ascending (what a stored predictor keeps).</summary>
    internal IReadOnlyList<double> SortedScores => _scores;

    public OfaSpace Space => _inner.Space;

    public IntervalMethod IntervalMethod => IntervalMethod.Conformal;

    /// <summary>Whether n calibration scores are enough for a finite-sample guarantee at <paramref name="confidence"/>.</summary>
    public bool IsFiniteSampleValid(double confidence) => _scores.Length > 0 && Math.Ceiling((_scores.Length + 1) * confidence) <= _scores.Length;

    /// <summary>The log-scale half-width q at <paramref name="confidence"/>.</summary>
    public double HalfWidth(double confidence)
    {
        CheckConfidence(confidence);
        var n = _scores.Length;
        if (n == 0)
        {
            return double.PositiveInfinity;
        }

        var k = (int)Math.Ceiling((n + 1) * confidence);
        if (k <= n)
        {
            return _scores[k - 1];
        }

        // Too few scores: the largest one, widened by the ratio of a t quantile at c to one at n/(n+1).
        var reachable = n / (double)(n + 1);
        var widen = StudentT(confidence, n) / StudentT(reachable, n);
        return _scores[^1] * Math.Max(1, widen);
    }

    public void Predict(ReadOnlySpan<Arch> archs, Span<double> latencyMs) => _inner.Predict(archs, latencyMs);

    public void PredictWithInterval(ReadOnlySpan<Arch> archs, double confidence, Span<LatencyEstimate> estimates)
    {
        var q = HalfWidth(confidence);
        var point = new double[archs.Length];
        _inner.Predict(archs, point);
        var factor = Math.Exp(q);
        for (var i = 0; i < archs.Length; i++)
        {
            estimates[i] = new LatencyEstimate(point[i], point[i] / factor, point[i] * factor);
        }
    }

    internal static void CheckConfidence(double confidence)
    {
        if (!(confidence > 0 && confidence < 1))
        {
            throw new LatencyGateException(
                AdaptationErrors.InvalidConfidence,
                string.Create(CultureInfo.InvariantCulture, $"confidence {confidence} is outside (0, 1); use e.g. 0.95"));
        }
    }

    private static double StudentT(double twoSidedConfidence, int n) =>
        MathNet.Numerics.Distributions.StudentT.InvCDF(0, 1, Math.Max(1, n - 1), 0.5 + (twoSidedConfidence / 2));
}
