using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using LatencyGate.Adaptation;
using LatencyGate.Learning.WeightFiles;
using LatencyGate.Measurements;
using LatencyGate.Predictors;
using LatencyGate.Reporting;
using LatencyGate.Spaces;

namespace LatencyGate.Cli.Commands;

internal static class EvaluateCommand
{
    public static Command Create(TextWriter stdout)
    {
        var predictor = new Option<string>("--predictor") { Description = "Predictor file (ours: learned or adapted; or a seed-paper .pt checkpoint), a lookup-table folder or builtin:note10.", Required = true };
        var data = new Option<string>("--data") { Description = "Measurements CSV.", Required = true };
        var latencyColumn = new Option<string?>("--latency-column") { Description = "Latency column (default latency_ms)." };
        var space = new Option<string?>("--space") { Description = "Space (default: the predictor file's, or the one the lookup tables were measured for, else ofa-mbv3-w1.0)." };
        var json = new Option<bool>("--json") { Description = "Print one JSON object." };
        var command = new Command("evaluate", "Metrics of a latency predictor on measured data.") { predictor, data, latencyColumn, space, json };
        command.SetAction(pr =>
        {
            var path = pr.GetValue(predictor)!;
            var s = OfaSpace.Get(pr.GetValue(space) ?? SpaceOf(path) ?? OfaSpace.W10.Name);
            var model = PredictorLoader.Load(s, null, path);
            var measurements = MeasurementsCsv.Read(pr.GetValue(data)!, s, pr.GetValue(latencyColumn));
            var archs = measurements.Items.Select(m => m.Arch).ToArray();
            var predicted = new double[archs.Length];
            model.Predict(archs, predicted);
            var m = LatencyMetrics.Compute(predicted, measurements.Items.Select(i => i.LatencyMs).ToArray());
            var undefined = m.Undefined();
            if (pr.GetValue(json))
            {
                var fields = new Dictionary<string, object?>
                {
                    ["predictor"] = model.Description,
                    ["n"] = m.Count,
                    ["rows"] = measurements.RowCount,
                    ["mae_ms"] = JsonNumbers.OrNull(m.MaeMs),
                    ["rmse_ms"] = JsonNumbers.OrNull(m.RmseMs),
                    ["mape_pct"] = JsonNumbers.OrNull(m.MapePct),
                    ["within10_pct"] = JsonNumbers.OrNull(m.Within10Pct),
                    ["spearman"] = JsonNumbers.OrNull(m.Spearman),
                    ["kendall"] = JsonNumbers.OrNull(m.Kendall),
                };
                if (undefined.Count > 0)
                {
                    fields["undefined"] = undefined;
                }

                stdout.WriteLine(JsonSerializer.Serialize(fields, JsonNumbers.Options));
            }
            else
            {
                stdout.WriteLine($"predictor: {model.Description}");
                stdout.WriteLine(string.Create(CultureInfo.InvariantCulture, $"data: {measurements.RowCount} rows, {m.Count} distinct archs"));
                stdout.WriteLine($"MAE {Num(m.MaeMs, "F4")} ms  RMSE {Num(m.RmseMs, "F4")} ms  MAPE {Num(m.MapePct, "F2")} %  within ±10 % {Num(m.Within10Pct, "F1")} %  Spearman {Num(m.Spearman, "F4")}  Kendall {Num(m.Kendall, "F4")}");
                foreach (var (name, why) in undefined)
                {
                    stdout.WriteLine($"n/a {name}: {why}");
                }
            }

            return 0;
        });
        return command;
    }

    /// <summary>A metric as text; one that could not be computed is "n/a" (JSON: null).</summary>
    internal static string Num(double value, string format) =>
        double.IsFinite(value) ? value.ToString(format, CultureInfo.InvariantCulture) : "n/a";

    /// <summary>
    /// The space a predictor file names, when it is one of ours; for lookup tables (a folder or
    /// builtin:note10), the space their first conv's width says they were measured for.
    /// </summary>
    internal static string? SpaceOf(string path)
    {
        try
        {
            if (Directory.Exists(path) || Predictors.Profiles.BuiltinProfiles.IsReference(path))
            {
                return Predictors.Lut.LookupTablePredictor.DetectSpace(path)?.Name;
            }

            var file = WeightFileReader.Read(path);
            return file.Metadata.TryGetValue("space", out var name) ? name : null;
        }
        catch (Diagnostics.LatencyGateException)
        {
            return null;
        }
    }
}
