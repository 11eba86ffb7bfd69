using LatencyGate.Adaptation.Numerics;
using LatencyGate.Diagnostics;
using LatencyGate.Predictors;

namespace LatencyGate.Adaptation;

/// <summary>
/// Fine-tune every parameter, regularized toward the base (L2-SP): for a linear per-operator model,
/// argmin ‖y − Xw − b‖² + λ Σ (wⱼ − a·w⁰ⱼ)², a the robust affine scale of the base on the shots, with λ by cross-validation on the shots.
/// </summary>
internal sealed class FullStrategy : IAdaptationStrategy
{
    public string Name => "full";

    public int MinimumShots => 1;

    public bool Supports(ILatencyPredictor basePredictor) => basePredictor is LinearLatencyModel;

    public ILatencyPredictor Adapt(ILatencyPredictor basePredictor, IReadOnlyList<LatencyShot> shots, ulong seed)
    {
        StrategyGuards.RequireShots(this, shots);
        if (basePredictor is not LinearLatencyModel model)
        {
            throw new LatencyGateException(
                AdaptationErrors.IncompatibleBase,
                basePredictor is LearnedLatencyPredictor { Network: not null }
                    ? $"strategy 'full' fine-tunes a per-operator linear model; fine-tuning every layer of a network ('{basePredictor.Description}') is not implemented: use head (the seed paper's protocol, output layer retrained), adaproxy or affine"
                    : $"strategy 'full' fine-tunes a per-operator linear model; the base '{basePredictor.Description}' is not one (use affine or adaproxy)");
        }

        var p = model.Features.FeatureNames.Count;
        var x = new double[shots.Count][];
        var y = new double[shots.Count];
        for (var i = 0; i < shots.Count; i++)
        {
            x[i] = new double[p + 1];
            model.Features.Compute(shots[i].Arch, x[i]);
            x[i][p] = 1;
            y[i] = shots[i].LatencyMs;
        }

        // L2-SP toward the base rescaled to the target (robust affine on the shots): the source's
        // costs in the target's units, so a few shots move the shape rather than the overall scale.
        var (a, b) = RobustAffine.Fit(model.PredictAll(shots.Select(s => s.Arch).ToArray()), y);
        var prior = new double[p + 1];
        for (var j = 0; j < p; j++)
        {
            prior[j] = a * model.Coefficients.Weights[j];
        }

        prior[p] = (a * model.Coefficients.Intercept) + b;
        var folds = StrategyGuards.Folds(shots.Count, seed);
        var (beta, lambda, _, _) = RidgeCv.SelectAndFit(x, y, folds, AdaProxyStrategy.LambdaGrid, 1, (l, _) => Penalty(x, l, p), prior);
        return new LinearLatencyModel(model.Features, model.Space, beta[..p], beta[p], model.DeviceName + FormattableString.Invariant($" fine-tuned (full, L2-SP λ={lambda:G3})"));
    }

    private static double[] Penalty(double[][] x, double lambda, int p)
    {
        // The intercept is also pulled toward the base, weakly, so one shot moves it rather than the costs.
        var penalty = LinearLatencyModel.ScaledPenalty(x, lambda, p + 1);
        penalty[p] *= 1e-3;
        return penalty;
    }
}
