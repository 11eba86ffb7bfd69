using LatencyGate.Numerics;
using LatencyGate.Diagnostics;
using LatencyGate.Predictors;
using LatencyGate.Spaces;

namespace LatencyGate.Adaptation;

/// <summary>
/// Fine-tune every parameter, regularized toward the base rescaled to the shots (robust affine first,
/// so the shots move the shape rather than the overall scale), λ by cross-validation on the shots (L2-SP).
/// For a linear per-operator model: argmin ‖y − Xw − b‖² + λ Σ (wⱼ − a·w⁰ⱼ)², solved exactly. For a
/// learned network (<c>mlp</c>, <c>additive+mlp</c>, the seed paper's checkpoints): every layer, and
/// the additive costs of additive+mlp, trained by <see cref="NetworkFineTuner"/> on MSE in the model's
/// target scaling + λ Σ (θ − θ_start)², a fixed step budget per fit.
/// </summary>
internal sealed class FullStrategy : IAdaptationStrategy
{
    /// <summary>
    /// λ for networks (per squared parameter change, against MSE in the target scaling). Four values two
    /// decades apart, from "move freely" to "stay at the rescaled base": on development rows (Note10 →
    /// RTX 2080 Ti, rows 0–6,999) the paper's MLP did best at 1e-2–1e2 and an additive+mlp at 1e-4–1e-2.
    /// Every value costs a fit per fold, and auto multiplies that again by its own folds.
    /// </summary>
    internal static readonly double[] NetworkLambdaGrid = [1e-4, 1e-2, 1, 100];

    private readonly FineTuneBudget _budget;
    private readonly ITrainingEngine _engine;

    public FullStrategy(FineTuneBudget? budget = null, ITrainingEngine? engine = null)
    {
        _budget = budget ?? FineTuneBudget.Default;
        _engine = engine ?? ManagedTrainingEngine.Instance;
    }

    public string Name => "full";

    public int MinimumShots => 1;

    public bool Supports(ILatencyPredictor basePredictor) => basePredictor is LinearLatencyModel or LearnedLatencyPredictor { Network: not null };

    public ILatencyPredictor Adapt(ILatencyPredictor basePredictor, IReadOnlyList<LatencyShot> shots, ulong seed)
    {
        StrategyGuards.RequireShots(this, shots);
        if (basePredictor is LearnedLatencyPredictor { Network: not null } network)
        {
            return AdaptNetwork(network, shots, seed);
        }

        if (basePredictor is not LinearLatencyModel model)
        {
            throw new LatencyGateException(
                AdaptationErrors.IncompatibleBase,
                $"strategy 'full' fine-tunes a per-operator linear model or a learned network (mlp, additive+mlp, a seed-paper checkpoint); the base '{basePredictor.Description}' is neither (use affine or adaproxy)");
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

    /// <summary>
    /// Folds of the λ search on a network: leave-one-out up to 5 shots, 3 folds up to 100, 2 above
    /// (each fold's validation part is then 50+ shots, enough to rank four λ). Every fit costs the
    /// same step budget, so the search costs (folds × grid + 1) fits whatever the shot count.
    /// </summary>
    internal static int[] NetworkFolds(int n, ulong seed) => StrategyGuards.Folds(n, seed, looLimit: 5, folds: n > 100 ? 2 : 3);

    private FineTunedNetworkPredictor AdaptNetwork(LearnedLatencyPredictor basePredictor, IReadOnlyList<LatencyShot> shots, ulong seed)
    {
        var archs = shots.Select(s => s.Arch).ToArray();
        var y = shots.Select(s => s.LatencyMs).ToArray();
        var (a, b) = RobustAffine.Fit(basePredictor.PredictAll(archs), y);
        var start = NetworkFineTuner.Rescaled(basePredictor, a, b, shots);
        var data = NetworkFineTuner.Prepare(start, shots);
        var grid = NetworkLambdaGrid;
        var lambda = grid[^1];
        if (shots.Count >= 4)
        {
            // Each (fold, λ) fit is independent and deterministic, so they run in parallel and the
            // errors land in fixed slots: the choice does not depend on the thread count.
            var folds = NetworkFolds(shots.Count, seed);
            var foldCount = folds.Max() + 1;
            var errors = new double[grid.Length * foldCount];
            UserErrors.Rethrowing(() => Parallel.For(0, errors.Length, Learning.Parallelism.Options, job =>
            {
                var (g, f) = (job / foldCount, job % foldCount);
                var train = Enumerable.Range(0, shots.Count).Where(i => folds[i] != f).ToArray();
                var test = Enumerable.Range(0, shots.Count).Where(i => folds[i] == f).ToArray();
                var tuned = _engine.FineTune(data, train, grid[g], seed + 1 + (ulong)f, _budget);
                var predicted = tuned.PredictAll(test.Select(i => archs[i]).ToArray());
                var sum = 0.0;
                for (var t = 0; t < test.Length; t++)
                {
                    sum += Math.Abs(predicted[t] - y[test[t]]);
                }

                errors[job] = sum;
            }));

            // Largest λ first, kept on ties: the choice closest to the base wins unless the shots say otherwise.
            var best = double.PositiveInfinity;
            for (var g = grid.Length - 1; g >= 0; g--)
            {
                var total = 0.0;
                for (var f = 0; f < foldCount; f++)
                {
                    total += errors[(g * foldCount) + f];
                }

                if (total < best)
                {
                    (best, lambda) = (total, grid[g]);
                }
            }
        }

        var final = _engine.FineTune(data, null, lambda, seed, _budget);
        return new FineTunedNetworkPredictor(basePredictor, final, lambda, a, b);
    }

    private static double[] Penalty(double[][] x, double lambda, int p)
    {
        // The intercept is also pulled toward the base, weakly, so one shot moves it rather than the costs.
        var penalty = LinearLatencyModel.ScaledPenalty(x, lambda, p + 1);
        penalty[p] *= 1e-3;
        return penalty;
    }
}

/// <summary>
/// A learned network with every layer fine-tuned by <c>full</c>: predicts with the tuned network; keeps
/// the base it came from (the codec references it rather than storing it), λ and the rescale it started from.
/// </summary>
internal sealed class FineTunedNetworkPredictor(LearnedLatencyPredictor basePredictor, LearnedLatencyPredictor tuned, double lambda, double scale, double offset) : ILatencyPredictor
{
    public LearnedLatencyPredictor Base { get; } = basePredictor;

    public LearnedLatencyPredictor Tuned { get; } = tuned;

    public double Lambda { get; } = lambda;

    /// <summary>The robust affine rescale of the base the fine-tuning started from (for the description).</summary>
    public double Scale { get; } = scale;

    public double Offset { get; } = offset;

    public string Description => FormattableString.Invariant(
        $"full: [{Base.Description}] rescaled ({Scale:G4} ×, {Offset:+0.####;-0.####;+0} ms) and fine-tuned, every layer{(Tuned.Kind == LatencyModelKind.AdditiveMlp ? " and the additive costs" : string.Empty)} (L2-SP λ={Lambda:G3})");

    public OfaSpace Space => Tuned.Space;

    public IntervalMethod IntervalMethod => IntervalMethod.None;

    public void Predict(ReadOnlySpan<Arch> archs, Span<double> latencyMs) => Tuned.Predict(archs, latencyMs);

    public void PredictWithInterval(ReadOnlySpan<Arch> archs, double confidence, Span<LatencyEstimate> estimates) => Tuned.PredictWithInterval(archs, confidence, estimates);
}
