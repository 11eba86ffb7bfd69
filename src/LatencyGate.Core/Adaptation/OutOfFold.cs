namespace LatencyGate.Adaptation;

/// <summary>Cross-validation on shots: each shot predicted by a fit that did not see it.</summary>
internal static class OutOfFold
{
    /// <summary>
    /// Fold f is fitted on the other folds' shots with seed <paramref name="firstSeed"/> + f and predicts
    /// its own shots. A fold whose training part has fewer than <paramref name="minimumTrain"/> shots is
    /// skipped and its shots are NaN.
    /// </summary>
    public static double[] Predict(
        Func<IReadOnlyList<LatencyShot>, ulong, Predictors.ILatencyPredictor> fit,
        IReadOnlyList<LatencyShot> shots,
        int[] folds,
        ulong firstSeed,
        int minimumTrain = 0)
    {
        var foldCount = folds.Max() + 1;
        var predicted = new double[shots.Count];
        Array.Fill(predicted, double.NaN);
        for (var f = 0; f < foldCount; f++)
        {
            var train = new List<LatencyShot>();
            var testIndex = new List<int>();
            for (var i = 0; i < shots.Count; i++)
            {
                if (folds[i] == f)
                {
                    testIndex.Add(i);
                }
                else
                {
                    train.Add(shots[i]);
                }
            }

            if (train.Count < minimumTrain)
            {
                continue;
            }

            var p = fit(train, firstSeed + (ulong)f).PredictAll(testIndex.Select(i => shots[i].Arch).ToArray());
            for (var t = 0; t < testIndex.Count; t++)
            {
                predicted[testIndex[t]] = p[t];
            }
        }

        return predicted;
    }
}
