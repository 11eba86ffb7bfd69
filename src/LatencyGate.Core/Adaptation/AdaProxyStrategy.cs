using LatencyGate.Adaptation.Features;
using LatencyGate.Numerics;
using LatencyGate.Predictors;
using LatencyGate.Statistics;

namespace LatencyGate.Adaptation;

/// <summary>
/// OneProxy's proxy adaptation: target ≈ s · proxy(x) + Σ_op c_op · n_op(x) + b, with a free global
/// scale s and intercept b and an L2-penalized correction c per operator (the additive per-operator
/// features of <see cref="StructuredFeatures"/>). λ is chosen by cross-validation on the shots
/// (leave-one-out up to 30 shots, 5 folds above). Below 3 shots it is the affine rescale. When the fit
/// weights the proxy at ≤ 0, s is held at ≥ 0 and that model kept if it beats the affine rescale by
/// more than one standard error out of fold; otherwise the affine rescale.
/// </summary>
/// <remarks>
/// <c>Monotonicity.ProxyAdapters.AdaProxy</c> is the published method on a table of latencies
/// (any space, predictions for a fixed pool of archs); this strategy adapts a predictor and yields
/// one that can be saved and reloaded. They share the solvers (<c>Numerics</c>), not the inputs.
/// </remarks>
internal sealed class AdaProxyStrategy : IAdaptationStrategy
{
    /// <summary>From this many shots the MACs and activation-byte totals may enter unpenalized (chosen by CV like λ).</summary>
    internal const int FreeTotalsMinimumShots = 8;

    internal static readonly double[] LambdaGrid = [0.001, 0.01, 0.1, 1, 10, 100, 1000, 10000];

    public string Name => "adaproxy";

    public int MinimumShots => 1;

    public bool Supports(ILatencyPredictor basePredictor) => true;

    public ILatencyPredictor Adapt(ILatencyPredictor basePredictor, IReadOnlyList<LatencyShot> shots, ulong seed)
    {
        StrategyGuards.RequireShots(this, shots);
        if (shots.Count < 3)
        {
            return new AffineStrategy().Adapt(basePredictor, shots, seed);
        }

        var features = new HierarchicalFeatures(basePredictor.Space);
        var p = features.FeatureNames.Count;
        var baseValues = basePredictor.PredictAll(shots.Select(s => s.Arch).ToArray());
        var x = new double[shots.Count][];
        var y = new double[shots.Count];
        for (var i = 0; i < shots.Count; i++)
        {
            x[i] = new double[p + 2];
            features.Compute(shots[i].Arch, x[i]);
            x[i][p] = baseValues[i];
            x[i][p + 1] = 1;
            y[i] = shots[i].LatencyMs;
        }

        var folds = StrategyGuards.Folds(shots.Count, seed);
        var options = shots.Count >= FreeTotalsMinimumShots ? 2 : 1;
        var freeWeights = basePredictor is MacsBasePredictor;
        Func<double, int, double[]> penalty = (l, option) => Penalty(x, l, p, option == 1, freeWeights);
        var (beta, lambda, _, _) = RidgeCv.SelectAndFit(x, y, folds, LambdaGrid, options, penalty, null);
        if (beta[p] > 0)
        {
            return new AdaptedPredictor(basePredictor, Name, beta[p], beta[p + 1], features, beta[..p], lambda);
        }

        // The shots rank the archs against the base (weight ≤ 0): the per-operator model alone explains
        // them better than the base does. Refit with the base's weight held at ≥ 0 in every fold, and keep
        // that model only when it beats the affine rescale (which keeps the base's ranking) by more than
        // one standard error of the paired out-of-fold errors (auto's rule); a merely noisy base stays affine.
        // Without the base the model is the analytic one adaproxy fits on builtin:macs, so the weight bytes
        // enter as freely as there (on measured-this-machine-dev it lowered the MAE in all 6 draws' medians).
        Func<double, int, double[]> analyticPenalty = (l, option) => Penalty(x, l, p, option == 1, freeWeights: true);
        var baseWeightNonNegative = NonNegativeAt(p);
        var (constrained, constrainedLambda, option, _) = RidgeCv.SelectAndFit(x, y, folds, LambdaGrid, options, analyticPenalty, null, baseWeightNonNegative);
        var chosenPenalty = analyticPenalty(constrainedLambda, option);
        var constrainedErrors = RidgeCv.OutOfFoldErrors(x, y, folds, (tx, ty) => baseWeightNonNegative(tx, ty, chosenPenalty, null));
        // The affine rescale as a two-column model (base, 1) fitted robustly, scored on the same folds.
        var affineRows = baseValues.Select(b => new[] { b, 1.0 }).ToArray();
        var affineErrors = RidgeCv.OutOfFoldErrors(affineRows, y, folds, (tx, ty) =>
        {
            var (a, b) = RobustAffine.Fit(tx.Select(r => r[0]).ToArray(), ty);
            return [a, b];
        });
        var gain = affineErrors.Average() - constrainedErrors.Average();
        if (gain > PairedDifference.StandardError(affineErrors, constrainedErrors))
        {
            return new AdaptedPredictor(basePredictor, Name, constrained[p], constrained[p + 1], features, constrained[..p], constrainedLambda);
        }

        return new AffineStrategy().Adapt(basePredictor, shots, seed);
    }

    /// <summary>
    /// Ridge with column <paramref name="column"/> held at ≥ 0: the free optimum when it already is, else
    /// (the objective being strictly convex) the optimum on the boundary, the fit without that column.
    /// </summary>
    private static Func<double[][], double[], double[], double[]?, double[]> NonNegativeAt(int column) => (tx, ty, pen, prior) =>
    {
        var free = LinearSolve.Ridge(tx, ty, pen, prior);
        if (free[column] >= 0)
        {
            return free;
        }

        var reducedX = tx.Select(row => Without(row, column)).ToArray();
        var reduced = LinearSolve.Ridge(reducedX, ty, Without(pen, column), prior is null ? null : Without(prior, column));
        return [.. reduced[..column], 0, .. reduced[column..]];
    };

    private static double[] Without(double[] values, int column) => [.. values[..column], .. values[(column + 1)..]];

    private static double[] Penalty(double[][] x, double lambda, int p, bool freeTotals, bool freeWeights)
    {
        // One penalty scale for every operator correction, in their natural units (area-weighted
        // counts): a coarse feature summing many operators is then cheaper than the same correction
        // spread over them, so few shots favour broad effects. The totals (arbitrary units) are standardized.
        var penalty = LinearLatencyModel.ScaledPenalty(x, lambda, p);
        var structural = p - 3;
        var common = 0.0;
        for (var j = 0; j < structural; j++)
        {
            common += penalty[j];
        }

        common /= structural;
        for (var j = 0; j < structural; j++)
        {
            penalty[j] = common;
        }

        if (freeTotals)
        {
            // The device-independent totals (MACs, activation bytes) unpenalized: a GPU's cost is
            // largely compute plus memory traffic, two numbers a handful of shots can pin down.
            penalty[p - 3] = 0;
            penalty[p - 2] = 0;

            // On the analytic MACs base (a CPU target) the weight bytes too: at batch 1 every run streams
            // the weights (tens of MB, more than the caches) from memory.
            if (freeWeights)
            {
                penalty[p - 1] = 0;
            }
        }

        return penalty;
    }
}
