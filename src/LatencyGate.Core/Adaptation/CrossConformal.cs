using System.Globalization;
using LatencyGate.Predictors;
using LatencyGate.Predictors.Intervals;

namespace LatencyGate.Adaptation;

/// <summary>
/// Conformal intervals for an adapted predictor when the shots are all the measurements there are:
/// each shot's score comes from a refit that did not see it (leave-one-out up to 30 shots, else 5
/// folds), the cross-conformal construction; the point predictor is the refit on all shots.
/// </summary>
internal static class CrossConformal
{
    public static ConformalPredictor Adapt(IAdaptationStrategy strategy, ILatencyPredictor basePredictor, IReadOnlyList<LatencyShot> shots, ulong seed) =>
        Adapt((train, s) => strategy.Adapt(basePredictor, train, s), strategy.MinimumShots, shots, seed);

    /// <summary>As above for any refit (a library ensemble adapts several bases at once).</summary>
    public static ConformalPredictor Adapt(Func<IReadOnlyList<LatencyShot>, ulong, ILatencyPredictor> fit, int minimumShots, IReadOnlyList<LatencyShot> shots, ulong seed)
    {
        var full = fit(shots, seed);
        var scores = new List<double>();
        if (shots.Count >= 2)
        {
            var predicted = OutOfFold.Predict(fit, shots, StrategyGuards.Folds(shots.Count, seed), seed + 1, minimumShots);
            var scored = Enumerable.Range(0, shots.Count).Where(i => !double.IsNaN(predicted[i])).ToArray();
            scores.AddRange(ConformalPredictor.Scores(scored.Select(i => predicted[i]).ToArray(), scored.Select(i => shots[i].LatencyMs).ToArray()));
        }

        return new ConformalPredictor(full, scores, string.Create(CultureInfo.InvariantCulture, $"cross-conformal on {scores.Count} out-of-fold shots"));
    }
}
