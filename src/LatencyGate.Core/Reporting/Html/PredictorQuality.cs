using System.Globalization;
using LatencyGate.Adaptation;
using LatencyGate.Gating;
using LatencyGate.Manifest;
using LatencyGate.Measurements;
using LatencyGate.Predictors;
using LatencyGate.Predictors.Intervals;
using LatencyGate.Spaces;

namespace LatencyGate.Reporting.Html;

/// <summary>
/// How good a device's predictor is on measurements it was not fitted on, for the report: a
/// <c>finetune</c> device with <c>shots</c> (the rows not drawn as shots) or a <c>calibrate</c> device
/// (its base never saw the rows). Other sources have no such rows, and their quality is not shown.
/// </summary>
internal static class PredictorQuality
{
    /// <summary>The nominal levels the coverage plot checks.</summary>
    public static IReadOnlyList<double> Levels { get; } = [0.5, 0.6, 0.7, 0.8, 0.9, 0.95];

    public static QualityView? Of(DeviceSpec device, ILatencyPredictor predictor, OfaSpace space)
    {
        var (rows, what) = HeldOut(device, space);
        if (rows is null || rows.Count < 2)
        {
            return null;
        }

        var archs = rows.Select(r => r.Arch).ToArray();
        var measured = rows.Select(r => r.LatencyMs).ToArray();
        var predicted = new double[archs.Length];
        predictor.Predict(archs, predicted);
        var points = predicted.Zip(measured, (p, m) => new PredictedMeasured(p, m)).ToArray();
        return new QualityView(what, points, rows.Count >= 8 ? Coverage(predictor, archs, measured) : []);
    }

    /// <summary>
    /// Coverage measured honestly: the gate's interval is calibrated on these very rows, so here each
    /// half (alternate rows) calibrates a split-conformal interval around the same point predictor and
    /// the other half is counted inside or outside; the two halves are pooled.
    /// </summary>
    private static CoveragePoint[] Coverage(ILatencyPredictor predictor, Arch[] archs, double[] measured)
    {
        var inside = new int[Levels.Count];
        for (var fold = 0; fold < 2; fold++)
        {
            var calibrate = Enumerable.Range(0, archs.Length).Where(i => i % 2 == fold).ToArray();
            var evaluate = Enumerable.Range(0, archs.Length).Where(i => i % 2 != fold).ToArray();
            var conformal = ConformalPredictor.Calibrate(predictor, calibrate.Select(i => archs[i]).ToArray(), calibrate.Select(i => measured[i]).ToArray());
            var evalArchs = evaluate.Select(i => archs[i]).ToArray();
            var estimates = new LatencyEstimate[evalArchs.Length];
            for (var l = 0; l < Levels.Count; l++)
            {
                conformal.PredictWithInterval(evalArchs, Levels[l], estimates);
                for (var j = 0; j < evaluate.Length; j++)
                {
                    var m = measured[evaluate[j]];
                    if (m >= estimates[j].LowerMs && m <= estimates[j].UpperMs)
                    {
                        inside[l]++;
                    }
                }
            }
        }

        return Levels.Select((level, l) => new CoveragePoint(level, inside[l] / (double)archs.Length)).ToArray();
    }

    private static (IReadOnlyList<Measurement>? Rows, string What) HeldOut(DeviceSpec device, OfaSpace space)
    {
        switch (device.Predictor)
        {
            case FinetuneSource { Shots: { } shots } f:
            {
                var set = MeasurementsCsv.Read(f.Measurements.FullPath, space, f.LatencyColumn?.Value);
                var order = AdaptationRun.ShotOrder(set.Items.Count, DevicePredictorBuilder.BuildSeed);
                var rows = order.Skip(Math.Min(shots.Value, set.Items.Count)).Select(i => set.Items[i]).ToArray();
                return (rows, string.Create(CultureInfo.InvariantCulture, $"the {rows.Length} rows of {f.Measurements.Text} not drawn as the {shots.Value} shots"));
            }

            case CalibrateSource c:
            {
                var set = MeasurementsCsv.Read(c.Measurements.FullPath, space, c.LatencyColumn?.Value);
                return (set.Items, string.Create(CultureInfo.InvariantCulture, $"the {set.Items.Count} rows of {c.Measurements.Text}, which the base predictor was not fitted on"));
            }

            default:
                return (null, string.Empty);
        }
    }
}
