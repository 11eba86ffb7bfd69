using System.Diagnostics;
using System.Globalization;
using LatencyGate.Diagnostics;
using LatencyGate.Learning;
using LatencyGate.Randomness;
using LatencyGate.Spaces;
using LatencyGate.Spaces.Encodings;

namespace LatencyGate.Predictors;

/// <summary>The outcome of a fit: the predictor, validation metrics (when there was a split) and the training history.</summary>
internal sealed record LatencyFitResult(LearnedLatencyPredictor Predictor, LatencyMetrics? Validation, TrainingResult? Training, double Seconds, int TrainCount, int ValidationCount);

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

        var order = Enumerable.Range(0, archs.Count).ToArray();
        new SeededRandom(settings.Training.Seed).Fork(0x5711).Shuffle(order.AsSpan());
        var nVal = settings.Kind == LatencyModelKind.Additive && settings.ValidationFraction <= 0 ? 0 : Math.Max(1, (int)Math.Round(archs.Count * settings.ValidationFraction));
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
        var watch = Stopwatch.StartNew();
        AdditiveLatencyModel? additive = null;
        var baseTrain = new double[train.Count];
        var baseVal = new double[validation.Count];
        if (settings.Kind != LatencyModelKind.Mlp)
        {
            additive = AdditiveLatencyModel.Fit(train, trainMs, validation, validationMs);
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

        var predictor = new LearnedLatencyPredictor(space, settings.Kind, network, targetScaler, additive, baseScaler, device);
        watch.Stop();
        LatencyMetrics? metrics = null;
        if (validation.Count > 1)
        {
            var predicted = new double[validation.Count];
            predictor.Predict(validation.ToArray(), predicted);
            metrics = LatencyMetrics.Compute(predicted, validationMs);
        }

        return new LatencyFitResult(predictor, metrics, history, watch.Elapsed.TotalSeconds, train.Count, validation.Count);
    }
}
