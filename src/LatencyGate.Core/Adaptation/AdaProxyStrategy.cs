using LatencyGate.Adaptation.Features;
using LatencyGate.Adaptation.Numerics;
using LatencyGate.Predictors;

namespace LatencyGate.Adaptation;

/// <summary>
/// OneProxy's proxy adaptation: target ≈ s · proxy(x) + Σ_op c_op · n_op(x) + b, with a free global
/// scale s and intercept b and an L2-penalized correction c per operator (the additive per-operator
/// features of <see cref="StructuredFeatures"/>). λ is chosen by cross-validation on the shots
/// (leave-one-out up to 30 shots, 5 folds above). Below 3 shots it is the affine rescale.
/// </summary>
internal sealed class AdaProxyStrategy : IAdaptationStrategy
{
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

        var features = new StructuredFeatures(basePredictor.Space);
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
        var best = (Lambda: LambdaGrid[^1], Error: double.PositiveInfinity);
        foreach (var lambda in LambdaGrid)
        {
            var error = CrossValidatedError(x, y, folds, lambda, p);
            if (error < best.Error)
            {
                best = (lambda, error);
            }
        }

        var beta = Solve(x, y, best.Lambda, p);
        if (!(beta[p] > 0))
        {
            return new AffineStrategy().Adapt(basePredictor, shots, seed);
        }

        return new AdaptedPredictor(basePredictor, Name, beta[p], beta[p + 1], features, beta[..p], best.Lambda);
    }

    private static double[] Solve(double[][] x, double[] y, double lambda, int p)
    {
        var penalty = LinearLatencyModel.ScaledPenalty(x, lambda, p);
        return LinearSolve.Ridge(x, y, penalty);
    }

    private static double CrossValidatedError(double[][] x, double[] y, int[] folds, double lambda, int p) =>
        RidgeCv.Error(x, y, folds, (tx, ty) => Solve(tx, ty, lambda, p));
}
