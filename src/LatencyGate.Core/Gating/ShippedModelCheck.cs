using System.Diagnostics;
using LatencyGate.Diagnostics;
using LatencyGate.Predictors;
using LatencyGate.Spaces;

namespace LatencyGate.Gating;

/// <summary>Check mode: the shipped arch predicted on every device, gated on the upper bound when a confidence is set.</summary>
internal static class ShippedModelCheck
{
    public static IReadOnlyList<DeviceResult> Run(GateContext context, Arch arch)
    {
        var accuracy = context.AccuracyOf(arch);
        var results = new DeviceResult[context.Devices.Count];
        UserErrors.Rethrowing(() => Parallel.For(0, results.Length, new ParallelOptions { MaxDegreeOfParallelism = context.Degree, CancellationToken = context.CancellationToken }, i =>
        {
            var watch = Stopwatch.StartNew();
            var device = context.Devices[i];
            if (device.Predictor is Manifest.MeasureSource { Predictor: null })
            {
                results[i] = DeviceResults.Skipped(device); // measured afterwards, alone (MeasuredDevices)
                return;
            }

            var built = context.Predictors[device.Name.Value];
            var estimate = Estimate(built.Predictor, arch, device.Confidence?.Value);
            results[i] = DeviceResults.Predicted(
                device,
                estimate,
                device.Confidence is null ? IntervalMethod.None : built.Predictor.IntervalMethod,
                built.Description,
                arch,
                accuracy,
                context.AccuracySource,
                accuracyFloor: null,
                notes: built.Notes,
                seconds: watch.Elapsed.TotalSeconds);
        }));
        return results;
    }

    /// <summary>With a confidence, the interval at it; without, the point prediction (the gate acts on it alone).</summary>
    public static LatencyEstimate Estimate(ILatencyPredictor predictor, Arch arch, double? confidence)
    {
        if (confidence is { } c)
        {
            var estimates = new LatencyEstimate[1];
            predictor.PredictWithInterval([arch], c, estimates);
            return estimates[0];
        }

        var point = new double[1];
        predictor.Predict([arch], point);
        return LatencyEstimate.Exact(point[0]);
    }
}
