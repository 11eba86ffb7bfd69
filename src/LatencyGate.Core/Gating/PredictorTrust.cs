using System.Globalization;
using LatencyGate.Diagnostics;
using LatencyGate.Learning.WeightFiles;
using LatencyGate.Manifest;
using LatencyGate.Predictors;

namespace LatencyGate.Gating;

/// <summary>
/// Says when a verdict rests on less than it seems: a confidence asked for from a predictor with no
/// uncertainty model (LG0060: lookup tables, plain predictor files and generalized predictors give a
/// point, not an interval), or a predictor whose held-out error, recorded when it was made, is over
/// <see cref="PoorMapePct"/> or unknown (LG0061).
/// </summary>
internal static class PredictorTrust
{
    /// <summary>
    /// A held-out mean absolute percentage error above this is poor: twice the usual 10 % warn margin,
    /// so a typical error alone can carry a device across its budget unnoticed.
    /// </summary>
    public const double PoorMapePct = 20;

    public static void Check(IReadOnlyList<DeviceSpec> devices, IReadOnlyDictionary<string, BuiltPredictor> predictors, DiagnosticBag warnings)
    {
        foreach (var device in devices)
        {
            // A measured device's verdict comes from its measurement, not from a predictor.
            if (device.Predictor is MeasureSource || !predictors.TryGetValue(device.Name.Value, out var built))
            {
                continue;
            }

            var name = device.Name.Value;
            if (device.Confidence is { } confidence && built.Predictor.IntervalMethod == IntervalMethod.None)
            {
                warnings.Warning(
                    TrustCodes.NoUncertaintyModel,
                    string.Create(
                        CultureInfo.InvariantCulture,
                        $"device '{name}': {GateFindings.NoUncertaintyModel} in its predictor ({built.Description}), so confidence {confidence.Value:0.##} gates the point prediction, not an interval; for an interval, make that predictor the `base` of a manifest `calibrate:` source with measurements of the device, or drop `confidence`"),
                    confidence.Location);
            }

            if (built.HeldOut is { } heldOut && !(heldOut.MapePct <= PoorMapePct))
            {
                var figure = double.IsFinite(heldOut.MapePct)
                    ? string.Create(CultureInfo.InvariantCulture, $"{heldOut.What} is {heldOut.MapePct:0.#} %, over {PoorMapePct:0} %")
                    : $"{heldOut.What} is unknown (not a number)";
                warnings.Warning(
                    TrustCodes.PoorHeldOutError,
                    $"device '{name}': its predictor's {figure}: its verdict rests on a weak predictor; measure the device and use a manifest `finetune:` or `calibrate:` source, or train on more devices",
                    device.Predictor.Location);
            }
        }
    }

    /// <summary>
    /// The held-out error a predictor file recorded when it was made: the worst leave-one-device-out
    /// MAPE of a generalized predictor (or NaN when none was recorded), the validation or held-out
    /// MAPE of a fitted or adapted one; null when the file records none (a PyTorch checkpoint).
    /// </summary>
    public static HeldOutError? Of(string path, bool generalized)
    {
        IReadOnlyDictionary<string, double> metrics;
        try
        {
            metrics = PredictorFile.Read(path).Metadata.TrainingMetrics;
        }
        catch (LatencyGateException)
        {
            return null; // not a LatencyGate predictor file (e.g. a checkpoint): nothing recorded
        }

        if (generalized)
        {
            var lodo = metrics.Where(m => m.Key.StartsWith("lodo_mape_pct_", StringComparison.Ordinal)).ToArray();
            if (lodo.Length == 0)
            {
                return new HeldOutError("leave-one-device-out error", double.NaN);
            }

            var worst = lodo.OrderByDescending(m => double.IsNaN(m.Value) ? double.PositiveInfinity : m.Value).First();
            return new HeldOutError($"leave-one-device-out MAPE on '{worst.Key["lodo_mape_pct_".Length..]}'", worst.Value);
        }

        if (metrics.TryGetValue("validation_mape_pct", out var validation))
        {
            var cross = metrics.TryGetValue("cross_validated", out var cv) && cv == 1;
            return new HeldOutError(cross ? "cross-validated MAPE" : "validation MAPE", validation);
        }

        return metrics.TryGetValue("heldout_mape_pct", out var heldOut) ? new HeldOutError("held-out MAPE", heldOut) : null;
    }
}

/// <summary>A predictor's recorded held-out error: what it is ("leave-one-device-out MAPE on 'gpu-a'") and the figure in percent.</summary>
internal sealed record HeldOutError(string What, double MapePct);
