using LatencyGate.Randomness;

namespace LatencyGate.Learning;

/// <summary>
/// Mini-batch training of an <see cref="Mlp"/> with back-propagation. Deterministic: the shuffle
/// comes from the seed, every GEMM sums in a fixed order, bias gradients are summed row by row.
/// </summary>
internal static class MlpTrainer
{
    /// <param name="model">Trained in place (left at the best validation epoch when there is a validation split).</param>
    /// <param name="inputs">[rows, model.InputSize] row-major, already normalized.</param>
    /// <param name="targets">[rows, model.OutputSize], already normalized.</param>
    /// <param name="validationInputs">Optional validation split, same layout.</param>
    /// <param name="validationTargets">Its targets.</param>
    /// <param name="options">Epochs, batch size, learning rate, seed and early stopping.</param>
    /// <param name="targetScaler">Maps targets back to their units (for the relative loss and for reporting validation MAE).</param>
    public static TrainingResult Train(
        Mlp model,
        float[] inputs,
        float[] targets,
        float[]? validationInputs,
        float[]? validationTargets,
        TrainingOptions options,
        TargetScaler? targetScaler = null)
    {
        var inSize = model.InputSize;
        var outSize = model.OutputSize;
        var rows = model.TrainingRows(inputs, targets);

        targetScaler ??= TargetScaler.Identity;
        var loss = new Loss(options.Loss, options.HuberDelta, targetScaler.Scale, targetScaler.Shift);
        var batch = Math.Min(Math.Max(1, options.BatchSize), rows);
        var layers = model.Layers;
        var frozen = Math.Clamp(options.FrozenLayers, 0, layers.Count);

        var batchInput = new float[batch * inSize];
        var batchTarget = new float[batch * outSize];
        var activations = layers.Select(l => new float[batch * l.Outputs]).ToArray();
        var maxWidth = model.MaxWidth;
        var deltaA = new float[batch * maxWidth];
        var deltaB = new float[batch * maxWidth];
        var weightGrads = layers.Select(l => new float[l.Weight.Data.Length]).ToArray();
        var biasGrads = layers.Select(l => new float[l.Bias.Length]).ToArray();
        var parameters = new List<Parameter>();
        for (var l = frozen; l < layers.Count; l++)
        {
            parameters.Add(new Parameter($"{l}.weight", layers[l].Weight.Data, weightGrads[l], Decay: true));
            parameters.Add(new Parameter($"{l}.bias", layers[l].Bias, biasGrads[l], Decay: options.DecayBiases));
        }

        var optimizer = new Optimizer(options.Optimizer, parameters);
        var random = new SeededRandom(options.Seed).Fork(0x5EED);
        var order = Enumerable.Range(0, rows).ToArray();
        var stepsPerEpoch = (rows + batch - 1) / batch;
        var history = new List<EpochRecord>();
        var hasValidation = validationInputs is { Length: > 0 } && validationTargets is { Length: > 0 };
        Mlp? best = null;
        var bestMae = double.PositiveInfinity;
        var bestEpoch = -1;
        var stoppedEarly = false;
        var rate = options.Schedule.BaseRate;

        for (var epoch = 0; epoch < options.Epochs; epoch++)
        {
            random.Shuffle(order.AsSpan());
            var lossSum = 0.0;
            for (var s = 0; s < stepsPerEpoch; s++)
            {
                options.Cancellation.ThrowIfCancellationRequested();
                var start = s * batch;
                var n = Math.Min(batch, rows - start);
                for (var i = 0; i < n; i++)
                {
                    var r = order[start + i];
                    inputs.AsSpan(r * inSize, inSize).CopyTo(batchInput.AsSpan(i * inSize));
                    targets.AsSpan(r * outSize, outSize).CopyTo(batchTarget.AsSpan(i * outSize));
                }

                Forward(layers, batchInput, n, activations);
                var output = activations[^1].AsSpan(0, n * outSize);
                lossSum += loss.Compute(output, batchTarget.AsSpan(0, n * outSize), deltaA.AsSpan(0, n * outSize));
                Backward(layers, frozen, batchInput, n, activations, deltaA, deltaB, weightGrads, biasGrads);
                rate = options.Schedule.RateAt(epoch, s, stepsPerEpoch, options.Epochs);
                optimizer.Step(rate);
            }

            double? validationMae = null;
            if (hasValidation)
            {
                validationMae = MeanAbsoluteError(model, validationInputs!, validationTargets!) * targetScaler.Scale;
                if (validationMae < bestMae)
                {
                    bestMae = validationMae.Value;
                    bestEpoch = epoch;
                    if (best is null)
                    {
                        best = model.Clone();
                    }
                    else
                    {
                        best.CopyFrom(model);
                    }
                }
            }

            history.Add(new EpochRecord(epoch, lossSum / stepsPerEpoch, validationMae, rate));
            options.EpochDone?.Invoke(epoch + 1, options.Epochs);
            if (hasValidation && options.Patience > 0 && epoch - bestEpoch >= options.Patience)
            {
                stoppedEarly = true;
                break;
            }
        }

        if (best is not null)
        {
            model.CopyFrom(best);
        }

        return new TrainingResult(history, hasValidation ? bestEpoch : history.Count - 1, hasValidation ? bestMae : null, stoppedEarly);
    }

    /// <summary>MAE of the model on normalized data, in normalized units.</summary>
    public static double MeanAbsoluteError(Mlp model, float[] inputs, float[] targets)
    {
        var predictions = new float[targets.Length];
        model.Predict(inputs, predictions);
        var sum = 0.0;
        for (var i = 0; i < targets.Length; i++)
        {
            sum += Math.Abs(predictions[i] - targets[i]);
        }

        return sum / Math.Max(1, targets.Length);
    }

    internal static void Forward(IReadOnlyList<DenseLayer> layers, float[] input, int rows, float[][] activations)
    {
        var current = input;
        for (var l = 0; l < layers.Count; l++)
        {
            var layer = layers[l];
            Gemm.Multiply(rows, layer.Outputs, layer.Inputs, current, 0, layer.Inputs, false, layer.Weight.Data, 0, layer.Inputs, true, activations[l], 0, layer.Outputs, accumulate: false);
            for (var i = 0; i < rows; i++)
            {
                var row = activations[l].AsSpan(i * layer.Outputs, layer.Outputs);
                System.Numerics.Tensors.TensorPrimitives.Add(row, layer.Bias, row);
                layer.Activation.Apply(row);
            }

            current = activations[l];
        }
    }

    /// <summary>
    /// Back-propagates dLoss/doutput (in <paramref name="delta"/>, [rows, out]; overwritten) and fills the
    /// gradients of layers ≥ <paramref name="frozen"/>. With <paramref name="inputGradient"/> (and nothing
    /// frozen) also dLoss/dinput [rows, InputSize]: what fine-tuning needs when an input is itself trained
    /// (the additive estimate feeding an additive+mlp network).
    /// </summary>
    internal static void Backward(
        IReadOnlyList<DenseLayer> layers, int frozen, float[] input, int rows, float[][] activations,
        float[] delta, float[] spare, float[][] weightGrads, float[][] biasGrads, float[]? inputGradient = null)
    {
        for (var l = layers.Count - 1; l >= frozen; l--)
        {
            var layer = layers[l];
            var outs = layer.Outputs;
            var ins = layer.Inputs;
            layer.Activation.Backward(activations[l].AsSpan(0, rows * outs), delta.AsSpan(0, rows * outs));
            var layerInput = l == 0 ? input : activations[l - 1];

            // dW = δᵀ·x : [out, rows]·[rows, in]
            Gemm.Multiply(outs, ins, rows, delta, 0, outs, true, layerInput, 0, ins, false, weightGrads[l], 0, ins, accumulate: false);

            var db = biasGrads[l].AsSpan();
            db.Clear();
            for (var i = 0; i < rows; i++)
            {
                System.Numerics.Tensors.TensorPrimitives.Add(db, delta.AsSpan(i * outs, outs), db);
            }

            if (l > frozen)
            {
                // δ_prev = δ·W : [rows, out]·[out, in]
                Gemm.Multiply(rows, ins, outs, delta, 0, outs, false, layer.Weight.Data, 0, ins, false, spare, 0, ins, accumulate: false);
                (delta, spare) = (spare, delta);
            }
            else if (l == 0 && inputGradient is not null)
            {
                Gemm.Multiply(rows, ins, outs, delta, 0, outs, false, layer.Weight.Data, 0, ins, false, inputGradient, 0, ins, accumulate: false);
            }
        }
    }
}
