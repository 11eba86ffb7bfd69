using System.Diagnostics;
using System.Globalization;
using LatencyGate.Diagnostics;
using LatencyGate.Learning;
using LatencyGate.Randomness;
using LatencyGate.Spaces;
using LatencyGate.Spaces.Encodings;

namespace LatencyGate.Predictors;

/// <summary>The outcome of a fit: the predictor, validation metrics (when there was a split) and the training history.</summary>
internal sealed record LatencyFitResult(LearnedLatencyPredictor Predictor, LatencyMetrics? Validation, TrainingResult? Training, double Seconds, int TrainCount, int ValidationCount)
{
    /// <summary>The additive model's form and penalty and how they were chosen (null for a plain MLP).</summary>
    public AdditiveSelection? Additive { get; init; }

    /// <summary>Whether <see cref="Validation"/> holds cross-validated figures over the training rows (the additive model alone) rather than a held-out split's.</summary>
    public bool CrossValidated { get; init; }
}

/// <summary>Fits learned latency predictors from (arch, ms) pairs.</summary>
internal static class LatencyModelFitter
{
    /// <summary>Splits off a seeded validation share, then fits.</summary>
    public static LatencyFitResult Fit(IReadOnlyList<Arch> archs, IReadOnlyList<double> ms, LatencyFitSettings settings, OfaSpace space, string? device = null)
    {
        if (archs.Count < 10)
        {
            throw new LatencyGateException(LearningErrors.TooFewMeasurements, string.Create(CultureInfo.InvariantCulture, $"{archs.Count} distinct archs measured; fitting needs at least 10"));
        }

        if (settings.Kind == LatencyModelKind.Additive)
        {
            return FitAdditive(archs, ms, settings, space, device);
        }

        var order = Enumerable.Range(0, archs.Count).ToArray();
        new SeededRandom(settings.Training.Seed).Fork(0x5711).Shuffle(order.AsSpan());
        var nVal = Math.Max(1, (int)Math.Round(archs.Count * settings.ValidationFraction));
        var val = order[..nVal];
        var train = order[nVal..];
        return Fit(
            train.Select(i => archs[i]).ToArray(), train.Select(i => ms[i]).ToArray(),
            val.Select(i => archs[i]).ToArray(), val.Select(i => ms[i]).ToArray(),
            settings, space, device);
    }

    public static LatencyFitResult Fit(
        IReadOnlyList<Arch> train, IReadOnlyList<double> trainMs,
        IReadOnlyList<Arch> validation, IReadOnlyList<double> validationMs,
        LatencyFitSettings settings, OfaSpace space, string? device = null)
    {
        if (settings.Kind == LatencyModelKind.Additive)
        {
            // Cross-validation needs no split: the model learns from both parts.
            return FitAdditive(train.Concat(validation).ToArray(), trainMs.Concat(validationMs).ToArray(), settings, space, device);
        }

        var watch = Stopwatch.StartNew();
        AdditiveSelection? selection = null;
        AdditiveLatencyModel? additive = null;
        var baseTrain = new double[train.Count];
        var baseVal = new double[validation.Count];
        if (settings.Kind != LatencyModelKind.Mlp)
        {
            selection = AdditiveModelSelection.Fit(train, trainMs, settings.Training.Seed, cancellationToken: settings.Training.Cancellation);
            additive = selection.Model;
            for (var i = 0; i < train.Count; i++)
            {
                baseTrain[i] = additive.Predict(train[i]);
            }

            for (var i = 0; i < validation.Count; i++)
            {
                baseVal[i] = additive.Predict(validation[i]);
            }
        }

        Mlp? network = null;
        TrainingResult? history = null;
        var targetScaler = TargetScaler.Identity;
        var baseScaler = TargetScaler.Identity;
        if (settings.Kind != LatencyModelKind.Additive)
        {
            var hybrid = settings.Kind == LatencyModelKind.AdditiveMlp;
            var residual = trainMs.Select((y, i) => y - baseTrain[i]).ToArray();
            targetScaler = settings.NormalizeTarget ? TargetScaler.Fit(residual) : TargetScaler.Identity;
            baseScaler = hybrid ? TargetScaler.Fit(baseTrain) : TargetScaler.Identity;
            var inputs = hybrid ? TutorialOneHotEncoding.Size + 1 : TutorialOneHotEncoding.Size;
            float[] Encode(IReadOnlyList<Arch> archs, double[] bases)
            {
                var x = new float[archs.Count * inputs];
                for (var i = 0; i < archs.Count; i++)
                {
                    TutorialOneHotEncoding.Instance.Encode(archs[i], x.AsSpan(i * inputs));
                    if (hybrid)
                    {
                        x[(i * inputs) + TutorialOneHotEncoding.Size] = baseScaler.Apply(bases[i]);
                    }
                }

                return x;
            }

            var xTrain = Encode(train, baseTrain);
            var yTrain = residual.Select(targetScaler.Apply).ToArray();
            var xVal = validation.Count > 0 ? Encode(validation, baseVal) : null;
            var yVal = validation.Count > 0 ? validationMs.Select((y, i) => targetScaler.Apply(y - baseVal[i])).ToArray() : null;
            var sizes = new[] { inputs }.Concat(settings.Hidden).Append(1).ToArray();
            network = Mlp.Create(sizes, settings.HiddenActivation, new SeededRandom(settings.Training.Seed).Fork(0x1417));
            history = settings.Engine.Train(network, xTrain, yTrain, xVal, yVal, settings.Training, targetScaler);
        }

        var predictor = new LearnedLatencyPredictor(space, settings.Kind, network, targetScaler, additive, baseScaler, device) { TrainingArchs = ArchSetFilter.Of(train.Concat(validation)) };
        watch.Stop();
        // A model that predicts NaN or infinity on its own training archs (training diverged on
        // extreme data) is refused here rather than written and gated on.
        var onTrain = new double[train.Count];
        predictor.Predict(train.ToArray(), onTrain);
        if (Array.FindIndex(onTrain, v => !double.IsFinite(v)) is var bad and >= 0)
        {
            throw new LatencyGateException(
                InputErrors.DataCannotBeFitted,
                string.Create(CultureInfo.InvariantCulture, $"the fitted model predicts {onTrain[bad]} ms for a training arch ({train[bad].CanonicalKey}): training diverged on these latencies; check the measurements' range and units"));
        }

        LatencyMetrics? metrics = null;
        if (validation.Count > 1)
        {
            var predicted = new double[validation.Count];
            predictor.Predict(validation.ToArray(), predicted);
            metrics = LatencyMetrics.Compute(predicted, validationMs);
        }

        return new LatencyFitResult(predictor, metrics, history, watch.Elapsed.TotalSeconds, train.Count, validation.Count) { Additive = selection };
    }

    private static LatencyFitResult FitAdditive(IReadOnlyList<Arch> archs, IReadOnlyList<double> ms, LatencyFitSettings settings, OfaSpace space, string? device)
    {
        var watch = Stopwatch.StartNew();
        var selection = AdditiveModelSelection.Fit(archs, ms, settings.Training.Seed, cancellationToken: settings.Training.Cancellation);
        var predictor = new LearnedLatencyPredictor(space, LatencyModelKind.Additive, null, TargetScaler.Identity, selection.Model, null, device) { TrainingArchs = ArchSetFilter.Of(archs) };
        watch.Stop();
        return new LatencyFitResult(predictor, selection.Chosen.CrossValidated, null, watch.Elapsed.TotalSeconds, archs.Count, 0) { Additive = selection, CrossValidated = selection.Folds > 0 };
    }
}
