using LatencyGate.Adaptation;
using LatencyGate.Learning;
using LatencyGate.Predictors;
using LatencyGate.Randomness;
using LatencyGate.Spaces;
using LatencyGate.Spaces.Encodings;
using TorchSharp;
using static TorchSharp.torch;

namespace LatencyGate.Torch;

/// <summary>
/// The TorchSharp engine: the same models, objectives, initial weights, shuffles and learning-rate
/// schedules as the managed engine, with gradients from libtorch's autograd and torch.optim's
/// optimizer steps (<see cref="TorchOptimizer"/>). Weights go in from and come back to our
/// <see cref="Mlp"/>, so predictor files are the same format whichever engine trained them.
/// Deterministic for a seed at a fixed thread count (libtorch's kernels may sum in another order with
/// more threads; the managed engine does not; MKL's branch is fixed by <see cref="TorchRuntime"/>).
/// </summary>
internal sealed class TorchTrainingEngine : ITrainingEngine
{
    public const string EngineName = "torch";

    /// <summary>
    /// One libtorch call at a time per process (training, solving, predicting): libtorch's own threads
    /// still work inside each, and no result depends on how the gate's parallel jobs interleave.
    /// </summary>
    private static readonly Lock Gate = new();

    /// <summary>Creates the engine; libtorch must be loaded (<see cref="TorchRuntime.Require"/>).</summary>
    public TorchTrainingEngine(int threads = 1)
    {
        Threads = Math.Max(1, threads);
        torch.set_num_threads(Threads);
    }

    public string Name => EngineName;

    /// <summary>
    /// The thread count again on the thread about to use libtorch: OpenMP keeps it per thread, and the
    /// gate's parallel work reaches the engine on pool threads, which would otherwise run with
    /// OpenMP's default (every core) rather than the count this engine was made with.
    /// </summary>
    private void OnThisThread() => torch.set_num_threads(Threads);

    public int Threads { get; }

    public TrainingResult Train(Mlp model, float[] inputs, float[] targets, float[]? validationInputs, float[]? validationTargets, TrainingOptions options, TargetScaler? targetScaler = null)
    {
        lock (Gate)
        {
            OnThisThread();
            return TrainLocked(model, inputs, targets, validationInputs, validationTargets, options, targetScaler);
        }
    }

    public LearnedLatencyPredictor FineTune(NetworkFineTuner.Prepared data, int[]? rows, double lambda, ulong seed, FineTuneBudget budget)
    {
        lock (Gate)
        {
            OnThisThread();
            return FineTuneLocked(data, rows, lambda, seed, budget);
        }
    }

    private TrainingResult TrainLocked(Mlp model, float[] inputs, float[] targets, float[]? validationInputs, float[]? validationTargets, TrainingOptions options, TargetScaler? targetScaler)
    {
        var inSize = model.InputSize;
        var outSize = model.OutputSize;
        var rows = model.TrainingRows(inputs, targets);

        targetScaler ??= TargetScaler.Identity;
        var frozen = Math.Clamp(options.FrozenLayers, 0, model.Layers.Count);
        using var outer = NewDisposeScope();
        var net = TorchMlp.From(model, trainableFrom: frozen);
        var x = tensor(inputs, [rows, inSize]);
        var y = tensor(targets, [rows, outSize]);
        var hasValidation = validationInputs is { Length: > 0 } && validationTargets is { Length: > 0 };
        var xv = hasValidation ? tensor(validationInputs!, [validationInputs!.Length / inSize, inSize]) : null;
        var yv = hasValidation ? tensor(validationTargets!, [validationTargets!.Length / outSize, outSize]) : null;

        var decay = new List<TorchSharp.Modules.Parameter>();
        var noDecay = new List<TorchSharp.Modules.Parameter>();
        for (var l = frozen; l < net.Weights.Count; l++)
        {
            decay.Add(net.Weights[l]);
            (options.DecayBiases ? decay : noDecay).Add(net.Biases[l]);
        }

        using var optimizer = CreateOptimizer(options.Optimizer, options.Schedule.BaseRate, decay, noDecay);
        using var scalars = new LossScalars(targetScaler);
        var batch = Math.Min(Math.Max(1, options.BatchSize), rows);
        var random = new SeededRandom(options.Seed).Fork(0x5EED);
        var order = Enumerable.Range(0, rows).ToArray();
        var stepsPerEpoch = (rows + batch - 1) / batch;
        var history = new List<EpochRecord>();
        float[][]? best = null;
        var bestMae = double.PositiveInfinity;
        var bestEpoch = -1;
        var stoppedEarly = false;
        var rate = options.Schedule.BaseRate;
        var indices = new long[batch];
        for (var epoch = 0; epoch < options.Epochs; epoch++)
        {
            options.Cancellation.ThrowIfCancellationRequested();
            random.Shuffle(order.AsSpan());
            var lossSum = 0.0;
            for (var s = 0; s < stepsPerEpoch; s++)
            {
                using var step = NewDisposeScope();
                var start = s * batch;
                var n = Math.Min(batch, rows - start);
                for (var i = 0; i < n; i++)
                {
                    indices[i] = order[start + i];
                }

                var picked = tensor(indices.AsSpan(0, n).ToArray());
                var prediction = net.Forward(x.index_select(0, picked));
                var loss = Loss(options, targetScaler, prediction, y.index_select(0, picked), scalars);
                optimizer.ZeroGrad();
                loss.backward();
                rate = options.Schedule.RateAt(epoch, s, stepsPerEpoch, options.Epochs);
                optimizer.Rate = rate;
                optimizer.Step();
                lossSum += loss.item<float>();
            }

            double? validationMae = null;
            if (hasValidation)
            {
                using var check = NewDisposeScope();
                using var noGrad = no_grad();
                validationMae = (net.Forward(xv!) - yv!).abs().mean().item<float>() * targetScaler.Scale;
                if (validationMae < bestMae)
                {
                    (bestMae, bestEpoch, best) = (validationMae.Value, epoch, net.Snapshot());
                }
            }

            history.Add(new EpochRecord(epoch, lossSum / stepsPerEpoch, validationMae, rate));
            if (hasValidation && options.Patience > 0 && epoch - bestEpoch >= options.Patience)
            {
                stoppedEarly = true;
                break;
            }
        }

        net.CopyInto(model, best);
        return new TrainingResult(history, hasValidation ? bestEpoch : history.Count - 1, hasValidation ? bestMae : null, stoppedEarly);
    }

    private LearnedLatencyPredictor FineTuneLocked(NetworkFineTuner.Prepared data, int[]? rows, double lambda, ulong seed, FineTuneBudget budget)
    {
        var start = data.Start;
        rows ??= Enumerable.Range(0, data.Count).ToArray();
        var hybrid = start.Kind == LatencyModelKind.AdditiveMlp;
        var inSize = start.Network!.InputSize;
        var batch = Math.Min(Math.Max(1, budget.BatchSize), rows.Length);
        using var outer = NewDisposeScope();
        var net = TorchMlp.From(start.Network, trainableFrom: 0);
        var anchors = net.Weights.Concat(net.Biases).Select(p => p.detach().clone()).ToArray();
        var parameters = net.Weights.Concat(net.Biases).ToList();
        var x = tensor(data.Inputs, [data.Count, inSize]);
        var t = tensor(data.Targets, [data.Count]);

        // additive+mlp: the change δ of the additive costs (and intercept) in the target scaling, as the managed fine-tuner.
        TorchSharp.Modules.Parameter? costs = null;
        TorchSharp.Modules.Parameter? intercept = null;
        Tensor? features = null;
        var inputScale = hybrid ? start.TargetScaler.Scale / start.BaseInputScaler.Scale : 0;
        if (hybrid)
        {
            var width = start.Additive!.Weights.Length;
            var dense = new float[data.Count * width];
            for (var r = 0; r < data.Count; r++)
            {
                foreach (var (index, value) in data.Features(r))
                {
                    dense[(r * width) + index] += (float)value;
                }
            }

            features = tensor(dense, [data.Count, width]);
            costs = new TorchSharp.Modules.Parameter(zeros(width));
            intercept = new TorchSharp.Modules.Parameter(zeros(1));
            parameters.Add(costs);
            parameters.Add(intercept);
        }

        // L2-SP as a loss term: its gradient 2λ(θ − θ_start) is the managed engine's coupled decay.
        using var optimizer = TorchOptimizer.Adam([(parameters, 0.0)], budget.LearningRate);
        using var lambdaScalar = lambda.ToScalar();
        using var inputScaleScalar = inputScale.ToScalar();
        var schedule = new LearningRateSchedule(ScheduleKind.Cosine, budget.LearningRate, MinimumFraction: 0.1);
        var random = new SeededRandom(seed).Fork(0xF11E);
        var order = (int[])rows.Clone();
        var cursor = order.Length;
        var picked = new long[batch];
        for (var step = 0; step < budget.Steps; step++)
        {
            using var scope = NewDisposeScope();
            for (var i = 0; i < batch; i++)
            {
                if (cursor == order.Length)
                {
                    random.Shuffle(order.AsSpan());
                    cursor = 0;
                }

                picked[i] = order[cursor++];
            }

            var index = tensor(picked);
            var input = x.index_select(0, index);
            Tensor? correction = null;
            if (hybrid)
            {
                correction = features!.index_select(0, index).matmul(costs!).Plus(intercept!);
                var last = input.narrow(1, inSize - 1, 1).Plus(correction.mul(inputScaleScalar).unsqueeze(1));
                input = cat([input.narrow(1, 0, inSize - 1), last], 1);
            }

            var prediction = net.Forward(input).squeeze(1);
            if (correction is not null)
            {
                prediction = prediction.Plus(correction);
            }

            var loss = (prediction - t.index_select(0, index)).Squared().mean();
            var penalty = zeros(1);
            for (var p = 0; p < anchors.Length; p++)
            {
                penalty = penalty.Plus((parameters[p] - anchors[p]).Squared().sum());
            }

            if (hybrid)
            {
                penalty = penalty.Plus(costs!.Squared().sum()).Plus(intercept!.Squared().sum());
            }

            loss = loss.Plus(penalty.mul(lambdaScalar));
            optimizer.ZeroGrad();
            loss.backward();
            optimizer.Rate = schedule.RateAt(0, step, budget.Steps, 1);
            optimizer.Step();
        }

        var network = start.Network.Clone();
        net.CopyInto(network, null);
        AdditiveLatencyModel? additive = null;
        if (hybrid)
        {
            var a = start.Additive!;
            var scale = start.TargetScaler.Scale;
            var delta = costs!.detach().data<float>().ToArray();
            var d0 = intercept!.detach().item<float>();
            additive = new AdditiveLatencyModel(a.Knots, a.Weights.Select((w, j) => w + (scale * delta[j])).ToArray(), a.Intercept + (scale * d0)) { Lambda = a.Lambda };
        }

        return new LearnedLatencyPredictor(start.Space, start.Kind, network, start.TargetScaler, additive, start.BaseInputScaler, start.Device);
    }

    /// <summary>
    /// The convex quadratic f(β) = ‖y − Xβ‖² + Σ pⱼ(βⱼ − β⁰ⱼ)², minimized by Newton steps in float64
    /// with the gradient and the Hessian from autograd (a minimum-norm step where the Hessian is singular). The Hessian comes exactly (no differences of
    /// gradients) from one double-backward pass: with β repeated as the p columns of B, the gradient of
    /// Σⱼ ∂f/∂βⱼ(B[:, j]) with respect to B is the Hessian, column j in column j. One Newton step is
    /// exact for a quadratic; a second removes rounding.
    /// </summary>
    public double[] PenalizedLeastSquares(double[][] x, double[] y, double[] penalty, double[]? prior)
    {
        lock (Gate)
        {
            OnThisThread();
            var n = y.Length;
            var p = penalty.Length;
            using var scope = NewDisposeScope();
            var flat = new double[n * p];
            for (var i = 0; i < n; i++)
            {
                x[i].AsSpan(0, p).CopyTo(flat.AsSpan(i * p));
            }

            var xt = tensor(flat, [n, p], ScalarType.Float64);
            var yt = tensor(y, [n, 1], ScalarType.Float64);
            var pt = tensor(penalty, [p, 1], ScalarType.Float64);
            var prior0 = tensor(prior ?? new double[p], [p, 1], ScalarType.Float64);
            using var half = 0.5.ToScalar();
            Tensor Objective(Tensor columns) => (yt - xt.matmul(columns)).Squared().sum().Plus((pt * (columns - prior0).Squared()).sum());

            var beta = prior0.clone();
            var identity = eye(p, dtype: ScalarType.Float64);
            for (var iteration = 0; iteration < 2; iteration++)
            {
                var b = beta.detach().requires_grad_(true);
                var g = autograd.grad([Objective(b)], [b])[0].detach();
                var columns = beta.expand(p, p).detach().clone().requires_grad_(true);
                var gradients = autograd.grad([Objective(columns)], [columns], retain_graph: true, create_graph: true)[0];
                var hessian = autograd.grad([(gradients * identity).sum()], [columns])[0].detach();
                // Minimum-norm step: a hidden unit silent on every shot has no curvature (a zero column
                // with a scaled penalty of zero), and stays at the prior, as the managed closed form keeps it.
                beta = beta - linalg.pinv(hessian.Plus(hessian.T).mul(half), rtol: 1e-10, hermitian: true).matmul(g);
            }

            return beta.squeeze(1).data<double>().ToArray();
        }
    }

    /// <summary>Predicts with the networks of a learned or adapted predictor evaluated by libtorch (a file read by this engine).</summary>
    public void Predict(ILatencyPredictor predictor, ReadOnlySpan<Arch> archs, Span<double> latencyMs)
    {
        switch (predictor)
        {
            case Predictors.Intervals.ConformalPredictor conformal:
                Predict(conformal.Inner, archs, latencyMs);
                return;
            case FineTunedNetworkPredictor tuned:
                Predict(tuned.Tuned, archs, latencyMs);
                return;
            case LearnedLatencyPredictor { Network: not null } learned:
                {
                    var (hidden, baseMs) = Trunk(learned, archs, untilLast: false);
                    for (var i = 0; i < archs.Length; i++)
                    {
                        var value = learned.TargetScaler.Invert(hidden[i]);
                        latencyMs[i] = learned.Kind == LatencyModelKind.AdditiveMlp ? baseMs[i] + value : value;
                    }

                    return;
                }

            case HeadAdaptedPredictor { Trunk: LearnedLatencyPredictor { Network.Layers.Count: > 1 } trunk } head:
                {
                    var (hidden, baseMs) = Trunk(trunk, archs, untilLast: true);
                    var width = trunk.Network!.Layers[^1].Inputs;
                    var weights = head.Weights;
                    for (var i = 0; i < archs.Length; i++)
                    {
                        var sum = 0.0;
                        for (var j = 0; j < width; j++)
                        {
                            sum += hidden[(i * width) + j] * weights[j];
                        }

                        if (trunk.Kind == LatencyModelKind.AdditiveMlp)
                        {
                            sum += baseMs[i] * weights[width];
                        }

                        latencyMs[i] = sum + head.Bias;
                    }

                    return;
                }

            default:
                predictor.Predict(archs, latencyMs);
                return;
        }
    }

    /// <summary>The network's output (or its last hidden layer) for each arch, and the additive estimates.</summary>
    private (float[] Values, double[] BaseMs) Trunk(LearnedLatencyPredictor learned, ReadOnlySpan<Arch> archs, bool untilLast)
    {
        var network = learned.Network!;
        var inSize = network.InputSize;
        var hybrid = learned.Kind == LatencyModelKind.AdditiveMlp;
        var inputs = new float[archs.Length * inSize];
        var baseMs = new double[archs.Length];
        for (var i = 0; i < archs.Length; i++)
        {
            TutorialOneHotEncoding.Instance.Encode(archs[i], inputs.AsSpan(i * inSize));
            if (hybrid)
            {
                baseMs[i] = learned.Additive!.Predict(archs[i]);
                inputs[(i * inSize) + TutorialOneHotEncoding.Size] = learned.BaseInputScaler.Apply(baseMs[i]);
            }
        }

        lock (Gate)
        {
            OnThisThread();
            using var scope = NewDisposeScope();
            using var noGrad = no_grad();
            var net = TorchMlp.From(network, trainableFrom: network.Layers.Count);
            var output = net.Forward(tensor(inputs, [archs.Length, inSize]), untilLast ? network.Layers.Count - 1 : network.Layers.Count);
            return (output.contiguous().data<float>().ToArray(), baseMs);
        }
    }

    /// <summary>The training loss; its scalars are the caller's (<see cref="LossScalars"/>), held while libtorch reads them.</summary>
    private static Tensor Loss(TrainingOptions options, TargetScaler scaler, Tensor prediction, Tensor target, LossScalars scalars)
    {
        var d = prediction - target;
        switch (options.Loss)
        {
            case LossKind.Mse:
                return d.Squared().mean();
            case LossKind.Rmse:
                return d.Squared().mean().sqrt();
            case LossKind.Huber:
                return nn.functional.huber_loss(prediction, target, delta: options.HuberDelta);
            case LossKind.Relative:
                var truth = target.mul(scalars.Scale).add(scalars.Shift, HeldScalars.One).abs().clamp_min(scalars.Floor);
                return d.mul(scalars.Scale).div(truth).Squared().mean();
            default:
                throw new InvalidOperationException("unknown loss");
        }
    }

    private static TorchOptimizer CreateOptimizer(OptimizerSettings settings, double rate, List<TorchSharp.Modules.Parameter> decay, List<TorchSharp.Modules.Parameter> noDecay)
    {
        var wd = settings.WeightDecay;
        IReadOnlyList<(IReadOnlyList<TorchSharp.Modules.Parameter>, double)> groups = [(decay, wd), (noDecay, 0.0)];
        return settings.Kind switch
        {
            OptimizerKind.Sgd => TorchOptimizer.Sgd(groups, rate, settings.Momentum, settings.Nesterov),
            OptimizerKind.Adam => TorchOptimizer.Adam(groups, rate, settings.Beta1, settings.Beta2, settings.Epsilon),
            OptimizerKind.AdamW => TorchOptimizer.AdamW(groups, rate, settings.Beta1, settings.Beta2, settings.Epsilon),
            _ => throw new InvalidOperationException("unknown optimizer"),
        };
    }

    /// <summary>The scalars a loss passes to libtorch, made once per training and disposed with it.</summary>
    private sealed class LossScalars(TargetScaler scaler) : IDisposable
    {
        public Scalar Scale { get; } = scaler.Scale.ToScalar();

        public Scalar Shift { get; } = scaler.Shift.ToScalar();

        public Scalar Floor { get; } = 1e-9.ToScalar();

        public void Dispose()
        {
            Scale.Dispose();
            Shift.Dispose();
            Floor.Dispose();
        }
    }
}
