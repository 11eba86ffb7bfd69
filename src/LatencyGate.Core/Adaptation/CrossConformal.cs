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
    public static ConformalPredictor Adapt(Func<IReadOnlyList<LatencyShot>, ulong, ILatencyPredictor> fit, int minimumShots, IReadOnlyList<LatencyShot> shots, ulong seed) =>
        Adapt(fit, minimumShots, shots, seed, null).Predictor;

    /// <summary>
    /// As above, setting aside the scores of shots the base may have been trained on
    /// (<paramref name="seenByBase"/>; see <see cref="OverlapCalibration"/>), with the warning to give
    /// when too few unseen shots were left and the intervals were widened instead.
    /// </summary>
    public static (ConformalPredictor Predictor, string? Warning) Adapt(Func<IReadOnlyList<LatencyShot>, ulong, ILatencyPredictor> fit, int minimumShots, IReadOnlyList<LatencyShot> shots, ulong seed, Func<Spaces.Arch, bool>? seenByBase)
    {
        var full = fit(shots, seed);
        if (shots.Count < 2)
        {
            return (new ConformalPredictor(full, [], "cross-conformal on 0 out-of-fold shots"), null);
        }

        var predicted = OutOfFold.Predict(fit, shots, StrategyGuards.Folds(shots.Count, seed), seed + 1, minimumShots);
        var scored = Enumerable.Range(0, shots.Count).Where(i => !double.IsNaN(predicted[i])).ToArray();
        if (seenByBase is null)
        {
            var scores = ConformalPredictor.Scores(scored.Select(i => predicted[i]).ToArray(), scored.Select(i => shots[i].LatencyMs).ToArray()).ToList();
            return (new ConformalPredictor(full, scores, string.Create(CultureInfo.InvariantCulture, $"cross-conformal on {scores.Count} out-of-fold shots")), null);
        }

        var (selected, description, warning) = OverlapCalibration.Select(
            scored.Select(i => predicted[i]).ToArray(), scored.Select(i => shots[i].LatencyMs).ToArray(), scored.Select(i => seenByBase(shots[i].Arch)).ToArray(), "cross-conformal", "out-of-fold shots");
        return (new ConformalPredictor(full, selected, description), warning);
    }
}
