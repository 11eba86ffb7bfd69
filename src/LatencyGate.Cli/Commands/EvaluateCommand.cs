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
        var space = new Option<string?>("--space") { Description = "Space (default: the predictor file's, or the one the lookup tables were measured for, else the measurements' space column, else ofa-mbv3-w1.0)." }.OneOf(CommandParsing.SpaceNames);
        var json = new Option<bool>("--json") { Description = "Print one JSON object." };
        var command = new Command("evaluate", "Metrics of a latency predictor on measured data.") { predictor, data, latencyColumn, space, json };
        command.SetAction(pr =>
        {
            var path = pr.GetValue(predictor)!;
            // A predictor of no space of its own (builtin:macs) takes the one the measurements say (measure writes it).
            var s = OfaSpace.Get(pr.GetValue(space) ?? SpaceOf(path) ?? MeasurementsCsv.DeclaredSpace(pr.GetValue(data)!) ?? OfaSpace.W10.Name);
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

                if (Reading(m.Spearman, m.MapePct, s.Name, path, pr.GetValue(data)!, Math.Clamp(m.Count / 2, 1, 20), IsAdaptedFile(path)) is { } reading)
                {
                    stdout.WriteLine(reading);
                }
            }

            return 0;
        });
        return command;
    }

    /// <summary>
    /// What the figures mean and what to do next (docs/cli.md): a newcomer shown "MAPE 266.25 %
    /// Spearman 0.8662" for OFA's Note10 tables on their own machine was left to guess whether that is
    /// bad and what helps. Ranking decides (a search only needs the order right; 0.9 is the threshold
    /// monotonicity uses for a usable proxy); the scale is what a few shots fix.
    /// </summary>
    internal static string? Reading(double spearman, double mapePct, string space, string predictor, string data, int shots, bool adapted)
    {
        if (!double.IsFinite(spearman) || !double.IsFinite(mapePct))
        {
            return null;
        }

        // An adapted file is not a base (LG0207): adapt its base again instead.
        var adapt = adapted
            ? $"dotnet latency-gate fit --space {space} --data {data} --base BASE --strategy auto --shots {shots} --out adapted.safetensors, BASE being the base it was adapted from"
            : string.Create(CultureInfo.InvariantCulture, $"dotnet latency-gate fit --space {space} --data {data} --base {predictor} --strategy auto --shots {shots} --out adapted.safetensors");
        return (spearman >= 0.9, mapePct <= 10) switch
        {
            (true, true) => "reading: it ranks these archs well (Spearman at least 0.9) and is within 10 % on average: usable for this device as it is",
            (true, false) => string.Create(CultureInfo.InvariantCulture, $"reading: it ranks these archs well (Spearman at least 0.9) but is {mapePct:0}% off on average, the scale of another device: adapt it to this one with `{adapt}`"),
            _ => $"reading: it ranks these archs poorly (Spearman below 0.9): adapt it with per-operator corrections (`{adapt}`), or train one on the measurements (`dotnet latency-gate fit --space {space} --data {data} --out model.safetensors`) when there are a few hundred",
        };
    }

    private static bool IsAdaptedFile(string path)
    {
        try
        {
            return File.Exists(path) && LatencyPredictorFile.Metadata(WeightFileReader.Read(path), path)?.ModelKind == AdaptedPredictorFile.ModelKind;
        }
        catch (Diagnostics.LatencyGateException)
        {
            return false;
        }
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
