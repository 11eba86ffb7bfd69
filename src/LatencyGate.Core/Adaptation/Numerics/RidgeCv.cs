namespace LatencyGate.Adaptation.Numerics;

internal static class RidgeCv
{
    /// <summary>Mean absolute error over folds of a linear fit produced by <paramref name="fit"/>.</summary>
    public static double Error(double[][] x, double[] y, int[] folds, Func<double[][], double[], double[]> fit)
    {
        var foldCount = folds.Max() + 1;
        var total = 0.0;
        for (var f = 0; f < foldCount; f++)
        {
            var trainX = new List<double[]>();
            var trainY = new List<double>();
            for (var i = 0; i < y.Length; i++)
            {
                if (folds[i] != f)
                {
                    trainX.Add(x[i]);
                    trainY.Add(y[i]);
                }
            }

            var beta = fit(trainX.ToArray(), trainY.ToArray());
            for (var i = 0; i < y.Length; i++)
            {
                if (folds[i] == f)
                {
                    total += Math.Abs(LinearSolve.Dot(x[i], beta) - y[i]);
                }
            }
        }

        return total / y.Length;
    }
}
