using System.Globalization;
using LatencyGate.Diagnostics;
using LatencyGate.Spaces;

namespace LatencyGate.Predictors.Intervals;

/// <summary>
/// Split-conformal intervals around any predictor, on a log scale: the conformity score of a held-out
/// measurement is |ln(measured) − ln(predicted)|, so the interval is multiplicative,
/// [ŷ·e^−q, ŷ·e^q], as latency errors are (they grow with latency across orders of magnitude).
/// Two promises, chosen by <see cref="CalibrationConfidence"/>:
/// <list type="bullet">
/// <item>marginal (null): q is the ⌈(n+1)·c⌉-th smallest of the n scores, which covers a new
/// exchangeable measurement with probability at least c <em>on average over calibration sets</em>;
/// one calibration set's coverage is Beta(k, n+1−k) distributed around that, so a single run can
/// cover less.</item>
/// <item>with confidence 1−δ (training-conditional): q is the k-th smallest score for the smallest k
/// with P(Beta(k, n+1−k) &lt; c) ≤ δ, so that with probability at least 1−δ over the calibration set
/// this run's coverage is at least c (<see cref="ConformalRank"/>).</item>
/// </list>
/// When n is too small for either rank (k &gt; n) the bound extrapolates the scores' tail
/// (<see cref="TailExtrapolation"/>: exponential on average, Lomax with confidence), which is not
/// distribution-free, and <see cref="IsFiniteSampleValid"/> says so.
/// </summary>
internal sealed class ConformalPredictor : ILatencyPredictor
{
    private readonly ILatencyPredictor _inner;
    private readonly double[] _scores;

    internal ConformalPredictor(ILatencyPredictor inner, IEnumerable<double> scores, string calibrationDescription)
        : this(inner, scores.Where(double.IsFinite).Order().ToArray(), calibrationDescription, null)
    {
    }

    private ConformalPredictor(ILatencyPredictor inner, double[] sortedScores, string calibrationDescription, double? calibrationConfidence)
    {
        _inner = inner;
        _scores = sortedScores;
        CalibrationDescription = calibrationDescription;
        CalibrationConfidence = calibrationConfidence;
    }

    /// <summary>
    /// 1−δ of the with-confidence promise (the chance over calibration sets that coverage reaches the
    /// requested confidence), or null for the marginal promise. Not stored with the scores: whoever
    /// gates chooses it (<see cref="WithCalibrationConfidence"/>).
    /// </summary>
    public double? CalibrationConfidence { get; }

    /// <summary>The same scores and point predictor under the other promise (null: marginal).</summary>
    public ConformalPredictor WithCalibrationConfidence(double? calibrationConfidence)
    {
        if (calibrationConfidence is { } g)
        {
            CheckConfidence(g);
        }

        return new ConformalPredictor(_inner, _scores, CalibrationDescription, calibrationConfidence);
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

    public string Description => $"{_inner.Description}, intervals: {CalibrationDescription}{PromiseText}";

    /// <summary>How the description says which promise the bounds keep (nothing for the marginal one, as before).</summary>
    private string PromiseText => CalibrationConfidence is { } g
        ? string.Create(CultureInfo.InvariantCulture, $", coverage held with confidence {g:0.###} over calibration sets")
        : string.Empty;

    public string CalibrationDescription { get; }

    public ILatencyPredictor Inner => _inner;

    public int CalibrationCount => _scores.Length;

    /// <summary>The finite conformity scores, ascending (what a stored predictor keeps).</summary>
    internal IReadOnlyList<double> SortedScores => _scores;

    public OfaSpace Space => _inner.Space;

    public IntervalMethod IntervalMethod => IntervalMethod.Conformal;

    /// <summary>Whether n calibration scores are enough for a finite-sample guarantee at <paramref name="confidence"/> under this predictor's promise.</summary>
    public bool IsFiniteSampleValid(double confidence) => ConformalRank.Rank(_scores.Length, confidence, CalibrationConfidence) <= _scores.Length;

    /// <summary>The log-scale half-width q at <paramref name="confidence"/> under this predictor's promise.</summary>
    public double HalfWidth(double confidence) => HalfWidth(confidence, CalibrationConfidence);

    /// <summary>The log-scale half-width q at <paramref name="confidence"/>, marginal (null) or held with <paramref name="calibrationConfidence"/>.</summary>
    public double HalfWidth(double confidence, double? calibrationConfidence)
    {
        CheckConfidence(confidence);
        if (calibrationConfidence is { } g)
        {
            CheckConfidence(g);
        }

        var n = _scores.Length;
        if (n == 0)
        {
            return double.PositiveInfinity;
        }

        var k = ConformalRank.Rank(n, confidence, calibrationConfidence);
        if (k <= n)
        {
            return _scores[k - 1];
        }

        // Too few scores for the rank: an assumption about the tail (TailExtrapolation).
        return TailExtrapolation.HalfWidth(_scores, confidence, calibrationConfidence);
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
}
