using System.Globalization;
using LatencyGate.Adaptation;

namespace LatencyGate.Predictors.Intervals;

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
            var folds = StrategyGuards.Folds(shots.Count, seed);
            var foldCount = folds.Max() + 1;
            for (var f = 0; f < foldCount; f++)
            {
                var train = new List<LatencyShot>();
                var test = new List<LatencyShot>();
                for (var i = 0; i < shots.Count; i++)
                {
                    (folds[i] == f ? test : train).Add(shots[i]);
                }

                if (train.Count < minimumShots)
                {
                    continue;
                }

                var model = fit(train, seed + 1 + (ulong)f);
                var predicted = model.PredictAll(test.Select(s => s.Arch).ToArray());
                scores.AddRange(ConformalPredictor.Scores(predicted, test.Select(s => s.LatencyMs).ToArray()));
            }
        }

        return new ConformalPredictor(full, scores, string.Create(CultureInfo.InvariantCulture, $"cross-conformal on {scores.Count} out-of-fold shots"));
    }
}
