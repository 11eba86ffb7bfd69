using LatencyGate.Numerics;
using LatencyGate.Diagnostics;
using LatencyGate.Predictors;
using LatencyGate.Spaces;

namespace LatencyGate.Adaptation;

/// <summary>
/// The seed paper's fine-tuning protocol: freeze the trunk, retrain the output layer on the shots.
/// Solved in closed form as ridge toward the base's output layer (the fixed point the paper's SGD from
/// the base weights approaches), λ by cross-validation on the shots. The adapted predictor runs the
/// same trunk forward pass as the base and only swaps the output layer, so training and inference
/// compute the same graph.
/// </summary>
internal sealed class HeadStrategy(ITrainingEngine? engine = null) : IAdaptationStrategy
{
    private readonly ITrainingEngine _engine = engine ?? ManagedTrainingEngine.Instance;

    public string Name => "head";

    public int MinimumShots => 1;

    public bool Supports(ILatencyPredictor basePredictor) => basePredictor is ITrunkModel { HiddenSize: > 0 };

    public ILatencyPredictor Adapt(ILatencyPredictor basePredictor, IReadOnlyList<LatencyShot> shots, ulong seed)
    {
        StrategyGuards.RequireShots(this, shots);
        if (basePredictor is not ITrunkModel { HiddenSize: > 0 } trunk)
        {
            throw new LatencyGateException(AdaptationErrors.IncompatibleBase, $"strategy 'head' retrains the output layer of a network with a hidden layer; the base '{basePredictor.Description}' has none (use affine or adaproxy, or full)");
        }

        var h = trunk.HiddenSize;
        var features = new double[shots.Count * h];
        trunk.Hidden(shots.Select(s => s.Arch).ToArray(), features);
        var x = new double[shots.Count][];
        var y = new double[shots.Count];
        for (var i = 0; i < shots.Count; i++)
        {
            x[i] = new double[h + 1];
            features.AsSpan(i * h, h).CopyTo(x[i]);
            x[i][h] = 1;
            y[i] = shots[i].LatencyMs;
        }

        // The prior is the base head expressed in milliseconds.
        var prior = new double[h + 1];
        for (var j = 0; j < h; j++)
        {
            prior[j] = trunk.OutputWeights[j] * trunk.TargetScale;
        }

        prior[h] = (trunk.OutputBias * trunk.TargetScale) + trunk.TargetShift;
        var folds = StrategyGuards.Folds(shots.Count, seed);
        var (beta, lambda, _, _) = RidgeCv.SelectAndFit(x, y, folds, AdaProxyStrategy.LambdaGrid, 1, (l, _) => LinearLatencyModel.ScaledPenalty(x, l, h), prior, Solver(_engine));
        return new HeadAdaptedPredictor(trunk, beta[..h], beta[h], lambda);
    }

    /// <summary>The managed engine keeps RidgeCv's closed form (and its shared fold Gram matrices); another engine solves every fit itself.</summary>
    internal static Func<double[][], double[], double[], double[]?, double[]>? Solver(ITrainingEngine engine) =>
        engine is ManagedTrainingEngine ? null : engine.PenalizedLeastSquares;
}

/// <summary>The base trunk with a retrained output layer (outputs milliseconds).</summary>
internal sealed class HeadAdaptedPredictor : PointPredictor
{
    private readonly ITrunkModel _trunk;
    private readonly double[] _weights;
    private readonly double _bias;

    public HeadAdaptedPredictor(ITrunkModel trunk, double[] weights, double bias, double lambda)
        : base(trunk.Space)
    {
        _trunk = trunk;
        _weights = weights;
        _bias = bias;
        Lambda = lambda;
    }

    public double Lambda { get; }

    /// <summary>The frozen trunk (the base) and the retrained layer, for <see cref="AdaptedPredictorCodec"/>.</summary>
    internal ITrunkModel Trunk => _trunk;

    internal IReadOnlyList<double> Weights => _weights;

    internal double Bias => _bias;

    public override string Description => FormattableString.Invariant($"head: [{_trunk.Description}] with its output layer retrained (λ={Lambda:G3})");

    public override double PredictOne(Arch arch)
    {
        var hidden = new double[_weights.Length];
        _trunk.Hidden(arch, hidden);
        return FixedOrder.Dot(hidden, _weights) + _bias;
    }

    /// <summary>Batched through the trunk (the MLP's GEMM); each row's arithmetic is the one <see cref="PredictOne"/> does.</summary>
    public override void Predict(ReadOnlySpan<Arch> archs, Span<double> latencyMs)
    {
        const int Chunk = 2048;
        var h = _weights.Length;
        var hidden = new double[Math.Min(Chunk, archs.Length) * h];
        for (var c0 = 0; c0 < archs.Length; c0 += Chunk)
        {
            var n = Math.Min(Chunk, archs.Length - c0);
            _trunk.Hidden(archs.Slice(c0, n), hidden.AsSpan(0, n * h));
            for (var r = 0; r < n; r++)
            {
                latencyMs[c0 + r] = FixedOrder.Dot(hidden.AsSpan(r * h, h), _weights) + _bias;
            }
        }
    }
}
