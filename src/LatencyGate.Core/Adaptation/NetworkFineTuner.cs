using LatencyGate.Learning;
using LatencyGate.Predictors;
using LatencyGate.Randomness;
using LatencyGate.Spaces.Encodings;

namespace LatencyGate.Adaptation;

/// <summary>
/// How long <see cref="NetworkFineTuner"/> trains: a fixed number of Adam steps on mini-batches of at
/// most <see cref="BatchSize"/> shots, learning rate cosine-decayed from <see cref="LearningRate"/>. A
/// fixed budget (no early stopping: there is no data to spare for it) bounds the cost of every fit,
/// which <c>full</c>'s λ search and <c>auto</c>'s cross-validation multiply.
/// </summary>
internal sealed record FineTuneBudget(int Steps = 100, int BatchSize = 64, double LearningRate = 1e-3)
{
    public static FineTuneBudget Default { get; } = new();
}

/// <summary>
/// Fine-tunes every parameter of a learned network predictor (<c>mlp</c>, <c>additive+mlp</c>, the seed
/// paper's checkpoints) on shots, with loss MSE (in the model's target scaling) + λ Σ (θ − θ_start)²
/// (L2-SP). The start is the base rescaled to the shots (<see cref="Rescaled"/>): the rescale is folded
/// into the target scaling (and, for additive+mlp, into the additive costs and the scaling of the
/// estimate the network reads), so the start predicts a·base + b with the base's own weights, and the
/// network learns shape rather than scale. For additive+mlp the additive costs are trained too, jointly:
/// their change enters the output directly and the network through its last input, whose gradient the
/// back-propagation returns. Deterministic: shuffles from the seed, the engine's fixed-order GEMMs.
/// </summary>
internal static class NetworkFineTuner
{
    /// <summary>
    /// The base predicting a·base + b (a &gt; 0, as <c>RobustAffine</c> guarantees), with the base's weights.
    /// The target scaling becomes a·scale, or the RMS of the rescaled base's error on the shots when that
    /// is larger (the output layer shrunk to match, so the function is the same): a residual network fitted
    /// on a lookup-table device has a scaling near zero, in which the shots' errors would be huge steps.
    /// </summary>
    public static LearnedLatencyPredictor Rescaled(LearnedLatencyPredictor basePredictor, double a, double b, IReadOnlyList<LatencyShot> shots)
    {
        var t = basePredictor.TargetScaler;
        var predicted = basePredictor.PredictAll(shots.Select(s => s.Arch).ToArray());
        var squared = 0.0;
        for (var i = 0; i < shots.Count; i++)
        {
            var e = shots[i].LatencyMs - ((a * predicted[i]) + b);
            squared += e * e;
        }

        var rms = shots.Count > 0 ? Math.Sqrt(squared / shots.Count) : 0;
        var scale = Math.Max(a * t.Scale, rms);
        var target = new TargetScaler((a * t.Shift) + b, scale);
        var network = basePredictor.Network!;
        var shrink = a * t.Scale / scale;
        if (shrink != 1)
        {
            network = network.Clone();
            var last = network.Layers[^1];
            System.Numerics.Tensors.TensorPrimitives.Multiply(last.Weight.Data, (float)shrink, last.Weight.Data);
            System.Numerics.Tensors.TensorPrimitives.Multiply(last.Bias, (float)shrink, last.Bias);
        }

        if (basePredictor.Kind == LatencyModelKind.Mlp)
        {
            return new LearnedLatencyPredictor(basePredictor.Space, basePredictor.Kind, network, target, null, null, basePredictor.Device);
        }

        var additive = basePredictor.Additive!;
        var scaledAdditive = new AdditiveLatencyModel(additive.Knots, additive.Weights.Select(w => a * w).ToArray(), a * additive.Intercept) { Lambda = additive.Lambda };
        var input = basePredictor.BaseInputScaler;
        return new LearnedLatencyPredictor(basePredictor.Space, basePredictor.Kind, network, target, scaledAdditive, new TargetScaler(a * input.Shift, a * input.Scale), basePredictor.Device);
    }

    /// <summary>The shots in the network's terms, computed once and shared by every fit of a λ search.</summary>
    public static Prepared Prepare(LearnedLatencyPredictor start, IReadOnlyList<LatencyShot> shots) => new(start, shots);

    /// <summary>Fine-tunes the prepared start on the shots <paramref name="rows"/> of <paramref name="data"/> (all when null).</summary>
    public static LearnedLatencyPredictor Train(Prepared data, int[]? rows, double lambda, ulong seed, FineTuneBudget budget)
    {
        var start = data.Start;
        rows ??= Enumerable.Range(0, data.Count).ToArray();
        var network = start.Network!.Clone();
        var layers = network.Layers;
        var hybrid = start.Kind == LatencyModelKind.AdditiveMlp;
        var inSize = network.InputSize;
        var batch = Math.Min(Math.Max(1, budget.BatchSize), rows.Length);

        var weightGrads = layers.Select(l => new float[l.Weight.Data.Length]).ToArray();
        var biasGrads = layers.Select(l => new float[l.Bias.Length]).ToArray();
        var parameters = new List<Parameter>();
        for (var l = 0; l < layers.Count; l++)
        {
            parameters.Add(new Parameter($"{l}.weight", layers[l].Weight.Data, weightGrads[l], Decay: true, Anchor: start.Network.Layers[l].Weight.Data));
            parameters.Add(new Parameter($"{l}.bias", layers[l].Bias, biasGrads[l], Decay: true, Anchor: start.Network.Layers[l].Bias));
        }

        // additive+mlp: the additive costs' change δ (and the intercept's), in the target scaling so that
        // one penalty weighs them like the network's weights: costs = start costs + Scale·δ.
        var costs = hybrid ? new float[start.Additive!.Weights.Length] : [];
        var costGrads = new float[costs.Length];
        var intercept = new float[1];
        var interceptGrad = new float[1];
        if (hybrid)
        {
            parameters.Add(new Parameter("additive.weights", costs, costGrads, Decay: true, Anchor: null));
            parameters.Add(new Parameter("additive.intercept", intercept, interceptGrad, Decay: true, Anchor: null));
        }

        // Coupled L2 (Adam): the gradient of λ‖θ − θ_start‖² is 2λ(θ − θ_start).
        var optimizer = new Optimizer(new OptimizerSettings(OptimizerKind.Adam, WeightDecay: 2 * lambda), parameters);
        var schedule = new LearningRateSchedule(ScheduleKind.Cosine, budget.LearningRate, MinimumFraction: 0.1);
        var loss = new Loss(LossKind.Mse);
        var activations = layers.Select(l => new float[batch * l.Outputs]).ToArray();
        var batchInput = new float[batch * inSize];
        var batchTarget = new float[batch];
        var prediction = new float[batch];
        var outputGrad = new float[batch];
        var deltaA = new float[batch * network.MaxWidth];
        var deltaB = new float[batch * network.MaxWidth];
        var inputGrad = hybrid ? new float[batch * inSize] : null;
        var inputScale = hybrid ? start.TargetScaler.Scale / start.BaseInputScaler.Scale : 0;
        var random = new SeededRandom(seed).Fork(0xF11E);
        var order = (int[])rows.Clone();
        var cursor = order.Length;
        var picked = new int[batch];
        var correction = new double[batch];

        for (var step = 0; step < budget.Steps; step++)
        {
            for (var i = 0; i < batch; i++)
            {
                if (cursor == order.Length)
                {
                    random.Shuffle(order.AsSpan());
                    cursor = 0;
                }

                picked[i] = order[cursor++];
            }

            for (var i = 0; i < batch; i++)
            {
                var r = picked[i];
                data.Inputs.AsSpan(r * inSize, inSize).CopyTo(batchInput.AsSpan(i * inSize));
                batchTarget[i] = data.Targets[r];
                if (hybrid)
                {
                    // The additive change in the target scaling, f·δ + δ₀: added to the output and, through
                    // the estimate the network reads (standardized by BaseInputScaler), to its last input.
                    var c = (double)intercept[0];
                    foreach (var (index, value) in data.Features(r))
                    {
                        c += costs[index] * value;
                    }

                    correction[i] = c;
                    batchInput[(i * inSize) + inSize - 1] += (float)(c * inputScale);
                }
            }

            MlpTrainer.Forward(layers, batchInput, batch, activations);
            activations[^1].AsSpan(0, batch).CopyTo(prediction);
            if (hybrid)
            {
                for (var i = 0; i < batch; i++)
                {
                    prediction[i] += (float)correction[i];
                }
            }

            loss.Compute(prediction.AsSpan(0, batch), batchTarget.AsSpan(0, batch), outputGrad.AsSpan(0, batch));
            outputGrad.AsSpan(0, batch).CopyTo(deltaA);
            MlpTrainer.Backward(layers, 0, batchInput, batch, activations, deltaA, deltaB, weightGrads, biasGrads, inputGrad);
            if (hybrid)
            {
                Array.Clear(costGrads);
                var g0 = 0.0;
                for (var i = 0; i < batch; i++)
                {
                    var g = outputGrad[i] * (1.0 + (inputGrad![(i * inSize) + inSize - 1] * inputScale));
                    g0 += g;
                    foreach (var (index, value) in data.Features(picked[i]))
                    {
                        costGrads[index] += (float)(g * value);
                    }
                }

                interceptGrad[0] = (float)g0;
            }

            optimizer.Step(schedule.RateAt(0, step, budget.Steps, 1));
        }

        AdditiveLatencyModel? additive = null;
        if (hybrid)
        {
            var a = start.Additive!;
            var scale = start.TargetScaler.Scale;
            additive = new AdditiveLatencyModel(a.Knots, a.Weights.Select((w, j) => w + (scale * costs[j])).ToArray(), a.Intercept + (scale * intercept[0])) { Lambda = a.Lambda };
        }

        return new LearnedLatencyPredictor(start.Space, start.Kind, network, start.TargetScaler, additive, start.BaseInputScaler, start.Device);
    }

    /// <summary>Σ (θ − θ_other)² over every network weight and bias (how far fine-tuning moved a network).</summary>
    public static double SquaredDistance(Mlp a, Mlp b)
    {
        var sum = 0.0;
        for (var l = 0; l < a.Layers.Count; l++)
        {
            double w = System.Numerics.Tensors.TensorPrimitives.Distance(a.Layers[l].Weight.Data, b.Layers[l].Weight.Data);
            double c = System.Numerics.Tensors.TensorPrimitives.Distance(a.Layers[l].Bias, b.Layers[l].Bias);
            sum += (w * w) + (c * c);
        }

        return sum;
    }

    /// <summary>
    /// The shots encoded for the start network: one-hot rows (plus the standardized start additive
    /// estimate), targets in the target scaling (for additive+mlp the residual over the start
    /// additive estimate), and each shot's sparse additive features.
    /// </summary>
    internal sealed class Prepared
    {
        private readonly (int Index, double Value)[][] _features;

        public Prepared(LearnedLatencyPredictor start, IReadOnlyList<LatencyShot> shots)
        {
            if (start.Network is null)
            {
                throw new ArgumentException("only a network can be fine-tuned", nameof(start));
            }

            Start = start;
            Count = shots.Count;
            var hybrid = start.Kind == LatencyModelKind.AdditiveMlp;
            var inSize = start.Network.InputSize;
            Inputs = new float[shots.Count * inSize];
            Targets = new float[shots.Count];
            _features = new (int, double)[shots.Count][];
            Span<(int, double)> buffer = stackalloc (int, double)[AdditiveLatencyModel.MaxNonZero];
            for (var i = 0; i < shots.Count; i++)
            {
                var arch = shots[i].Arch;
                TutorialOneHotEncoding.Instance.Encode(arch, Inputs.AsSpan(i * inSize));
                var baseMs = 0.0;
                if (hybrid)
                {
                    baseMs = start.Additive!.Predict(arch);
                    Inputs[(i * inSize) + TutorialOneHotEncoding.Size] = start.BaseInputScaler.Apply(baseMs);
                    var n = AdditiveLatencyModel.Features(start.Additive.Knots, arch, buffer);
                    _features[i] = buffer[..n].ToArray();
                }
                else
                {
                    _features[i] = [];
                }

                Targets[i] = start.TargetScaler.Apply(shots[i].LatencyMs - baseMs);
            }
        }

        public LearnedLatencyPredictor Start { get; }

        public int Count { get; }

        public float[] Inputs { get; }

        public float[] Targets { get; }

        public ReadOnlySpan<(int Index, double Value)> Features(int row) => _features[row];
    }
}
