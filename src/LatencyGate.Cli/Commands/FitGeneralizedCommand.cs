using System.CommandLine;
using System.Globalization;
using LatencyGate.Adaptation;
using LatencyGate.Diagnostics;
using LatencyGate.Files;
using LatencyGate.Measurements;
using LatencyGate.Predictors;
using LatencyGate.Spaces;

namespace LatencyGate.Cli.Commands;

/// <summary>
/// <c>fit-generalized --space S --device "name=…,cores=…,memory_gb=…,memory_bandwidth_gbps=…,peak_fp32_gflops=…,batch_size=…,data=CSV" … --out FILE</c>:
/// trains a hardware-generalized predictor on several devices' measurements and spec sheets.
/// </summary>
internal static partial class FitGeneralizedCommand
{
    /// <summary>The fields of <c>--device</c>, named as the manifest's <c>hardware:</c> keys name them.</summary>
    private static readonly string[] Fields = ["name", "cores", "memory_gb", "memory_bandwidth_gbps", "peak_fp32_gflops", "batch_size", "data"];

    /// <summary>Earlier names still accepted: <c>bandwidth_gbps</c> was this command's name for the manifest's <c>memory_bandwidth_gbps</c>.</summary>
    private static readonly Dictionary<string, string> Aliases = new(StringComparer.OrdinalIgnoreCase) { ["bandwidth_gbps"] = "memory_bandwidth_gbps" };

    public static Command Create(TextWriter stdout)
    {
        var space = new Option<string>("--space") { Description = "Search space (ofa-mbv3-w1.0 or ofa-mbv3-w1.2).", Required = true }.OneOf(CommandParsing.SpaceNames);
        var devices = new Option<string[]>("--device") { Description = "A training device: " + string.Join(",", Fields.Select(f => f + "=…")) + " (repeat for each device; at least two).", Required = true };
        var latencyColumn = new Option<string?>("--latency-column") { Description = "Latency column of every CSV (default latency_ms)." };
        var output = new Option<string>("--out") { Description = "Predictor file to write (safetensors, model kind hardware-generalized).", Required = true };
        var command = new Command("fit-generalized", "Train a predictor that generalizes across devices from their hardware specs (zero-shot for a new device).") { space, devices, latencyColumn, output };
        command.SetAction((parse, cancellationToken) =>
        {
            var ofaSpace = OfaSpace.Get(parse.GetValue(space)!);
            var specs = parse.GetValue(devices)!.Select(ParseDevice).ToArray();
            if (specs.Length < 2)
            {
                throw new LatencyGateException(CliCodes.BadGeneralizedDevice, "fit-generalized needs at least two --device entries (more devices generalize better)");
            }

            if (specs.GroupBy(s => s.Hardware.Name, StringComparer.OrdinalIgnoreCase).FirstOrDefault(g => g.Count() > 1) is { } twice)
            {
                throw new LatencyGateException(CliCodes.BadGeneralizedDevice, $"two --device entries are named '{twice.Key}'; each training device needs its own name");
            }

            OutputFile.CheckWritable(parse.GetValue(output)!, "the predictor file");
            OutputFile.RefuseInput(parse.GetValue(output)!, "the predictor file", specs.Select(s => ("--device data=", (string?)s.Data)));
            var training = specs.Select(s =>
            {
                var set = MeasurementsCsv.Read(s.Data, ofaSpace, parse.GetValue(latencyColumn));
                return new DeviceMeasurements(s.Hardware.Validated(), ofaSpace, set.Items.Select(m => new LatencyShot(m.Arch, m.LatencyMs)).ToArray());
            }).ToArray();
            var model = HardwareGeneralizedPredictor.Fit(training, cancellationToken: cancellationToken);
            // The spread is only measured (NaN otherwise) when three or more devices let a scaling be chosen.
            stdout.WriteLine(double.IsFinite(model.LevelSpread)
                ? string.Create(CultureInfo.InvariantCulture, $"physical scaling: {model.SelectedScaling} (level spread across training devices {model.LevelSpread:F4})")
                : $"physical scaling: {model.SelectedScaling} (fewer than three training devices: no scaling chosen, level spread n/a)");

            // Leave-one-device-out: how far a device the model has not seen is predicted.
            var metrics = new Dictionary<string, double>(StringComparer.Ordinal);
            foreach (var (heldOut, i) in training.Select((t, i) => (t, i)))
            {
                var others = training.Where((_, j) => j != i).ToArray();
                var predictor = HardwareGeneralizedPredictor.Fit(others, cancellationToken: cancellationToken).For(heldOut.Hardware, ofaSpace);
                var predicted = predictor.PredictAll(heldOut.Shots.Select(s => s.Arch).ToArray());
                var m = LatencyMetrics.Compute(predicted, heldOut.Shots.Select(s => s.LatencyMs).ToArray());
                metrics[$"lodo_mape_pct_{heldOut.Hardware.Name}"] = m.MapePct;
                stdout.WriteLine(string.Create(CultureInfo.InvariantCulture, $"leave-one-device-out {heldOut.Hardware.Name}: MAPE {EvaluateCommand.Num(m.MapePct, "F2")} %, Spearman {EvaluateCommand.Num(m.Spearman, "F4")} ({heldOut.Shots.Count} archs)"));
            }

            cancellationToken.ThrowIfCancellationRequested();
            GeneralizedPredictorFile.Save(parse.GetValue(output)!, model, ofaSpace, metrics);
            stdout.WriteLine($"wrote hardware-generalized predictor trained on {string.Join(", ", model.TrainedOn)} to {EchoText.OneLine(parse.GetValue(output)!)}");
            return Task.FromResult(0);
        });
        return command;
    }

    private static (HardwareSpec Hardware, string Data) ParseDevice(string text)
    {
        var map = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var part in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var eq = part.IndexOf('=', StringComparison.Ordinal);
            var field = eq <= 0 ? part : Aliases.GetValueOrDefault(part[..eq], part[..eq]);
            if (eq <= 0 || !Fields.Contains(field, StringComparer.OrdinalIgnoreCase))
            {
                throw new LatencyGateException(CliCodes.BadGeneralizedDevice, $"--device '{EchoText.Cut(text)}': '{EchoText.Cut(part)}' is not one of {string.Join(", ", Fields.Select(f => f + "=…"))}{(eq > 0 ? DidYouMean.Hint(part[..eq], Fields) : string.Empty)}");
            }

            if (!map.TryAdd(field, part[(eq + 1)..]))
            {
                throw new LatencyGateException(CliCodes.BadGeneralizedDevice, $"--device '{EchoText.Cut(text)}': {field} is given twice");
            }
        }

        var missing = Fields.Where(f => !map.ContainsKey(f)).ToArray();
        if (missing.Length > 0)
        {
            throw new LatencyGateException(CliCodes.BadGeneralizedDevice, $"--device '{text}' is missing {string.Join(", ", missing)}");
        }

        double Number(string field) => double.TryParse(map[field], NumberStyles.Float, CultureInfo.InvariantCulture, out var v)
            ? v
            : throw new LatencyGateException(CliCodes.BadGeneralizedDevice, $"--device '{text}': {field} '{map[field]}' is not a number");
        // As a manifest's device names: reports and the predictor file list them.
        if (!DeviceName().IsMatch(map["name"]))
        {
            throw new LatencyGateException(CliCodes.BadGeneralizedDevice, $"--device '{EchoText.Cut(text)}': name '{EchoText.Cut(map["name"])}' must be 1-64 letters, digits, '-', '_' or '.'");
        }

        var batch = Number("batch_size");
        if (batch is < 1 or > 1_000_000 || batch != Math.Floor(batch))
        {
            throw new LatencyGateException(CliCodes.BadGeneralizedDevice, $"--device '{EchoText.Cut(text)}': batch_size '{EchoText.Cut(map["batch_size"])}' is not an integer from 1 to 1000000");
        }

        return (new HardwareSpec(map["name"], Number("cores"), Number("memory_gb"), Number("memory_bandwidth_gbps"), Number("peak_fp32_gflops"), (int)batch), map["data"]);
    }

    [System.Text.RegularExpressions.GeneratedRegex("^[A-Za-z0-9._-]{1,64}$")]
    private static partial System.Text.RegularExpressions.Regex DeviceName();
}
