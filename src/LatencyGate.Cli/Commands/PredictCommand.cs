using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using LatencyGate.Adaptation;
using LatencyGate.Diagnostics;
using LatencyGate.Predictors;
using LatencyGate.Predictors.Lut;
using LatencyGate.Reporting;
using LatencyGate.Spaces;

namespace LatencyGate.Cli.Commands;

/// <summary><c>predict --space S (--lut DIR | --predictor FILE) (--arch FILE | --arch-json JSON) [--json] [--interpolate]</c>.</summary>
internal static class PredictCommand
{
    private const double Confidence = 0.95;

    public static Command Create(TextWriter stdout)
    {
        var space = new Option<string?>("--space") { Description = "Search space: ofa-mbv3-w1.0 or ofa-mbv3-w1.2 (default: the predictor file's, or the one the lookup tables were measured for)." }.OneOf(CommandParsing.SpaceNames);
        var lut = new Option<string?>("--lut") { Description = "Folder of OFA lookup tables ({r}_lookup_table.yaml or .json), or builtin:note10 (see profiles)." };
        var predictor = new Option<string?>("--predictor") { Description = "A predictor file (what fit writes, or a seed-paper checkpoint); a folder of lookup tables or builtin:note10 is read as --lut reads it." };
        var arch = new Option<string?>("--arch") { Description = "Arch file (OFA JSON or Python dict literal), or the arch key the tool prints (r192-d23232-k…)." };
        var archJson = new Option<string?>("--arch-json") { Description = "The arch inline, e.g. '{\"ks\":[...],\"e\":[...],\"d\":[...],\"r\":[224]}'." };
        var json = new Option<bool>("--json") { Description = "Print one JSON object {latency_ms, lower_ms, upper_ms}." };
        var interpolate = new Option<bool>("--interpolate") { Description = "With a LUT: interpolate between the two nearest tables when the resolution has none." };
        var command = new Command("predict", "Predict the latency of one sub-network.") { space, lut, predictor, arch, archJson, json, interpolate };
        command.SetAction(pr =>
        {
            var s = SpaceFromInputs.Resolve(pr.GetValue(space), pr.GetValue(lut), pr.GetValue(predictor));
            var a = ArchJson.FromFileOrText(pr.GetValue(arch), pr.GetValue(archJson), s);
            var p = PredictorLoader.Load(s, pr.GetValue(lut), pr.GetValue(predictor), pr.GetValue(interpolate));
            // On a predictor file the flag did nothing, and the prediction looked interpolated to whoever asked.
            if (pr.GetValue(interpolate) && p is not LookupTablePredictor)
            {
                throw new LatencyGateException(CliCodes.Usage, $"--interpolate applies to lookup tables (a folder of OFA tables, or builtin:note10); '{EchoText.Cut(p.Description)}' is not one (an adapted predictor file interpolates as the fit --interpolate that made it recorded)");
            }

            var estimates = new LatencyEstimate[1];
            p.PredictWithInterval([a], Confidence, estimates);
            var estimate = estimates[0];
            if (!Gating.DeviceResults.IsUsable(estimate))
            {
                throw new LatencyGateException(
                    InputErrors.PredictedLatencyInvalid,
                    string.Create(CultureInfo.InvariantCulture, $"the predictor ({p.Description}) gave {estimate.Ms:G6} ms (interval {estimate.LowerMs:G6}–{estimate.UpperMs:G6} ms) for {a.CanonicalKey}: not a positive finite latency; check the predictor's weights or training data"),
                    new SourceLocation(pr.GetValue(predictor) ?? pr.GetValue(lut) ?? "--predictor"));
            }
            var interpolatedFrom = p is LookupTablePredictor table ? table.Explain(a).InterpolatedFrom : null;
            var measuredOn = pr.GetValue(predictor) is { } file ? MeasuredOn(file) : [];
            if (pr.GetValue(json))
            {
                stdout.WriteLine(ToJson(estimate, interpolatedFrom, measuredOn));
            }
            else
            {
                stdout.WriteLine(ToHuman(estimate, p, a, interpolatedFrom));
                foreach (var machine in measuredOn)
                {
                    stdout.WriteLine("trained on measurements from: " + MeasuredOnMetadata.Describe(machine));
                }
            }

            return 0;
        });
        return command;
    }

    /// <summary>The machines the predictor's training data was measured on, when its file records them (a file <c>fit</c> wrote from <c>measure</c>'s CSV).</summary>
    private static IReadOnlyList<IReadOnlyList<KeyValuePair<string, string>>> MeasuredOn(string path)
    {
        // --predictor also takes what the loader reads as tables (a folder, builtin:note10) or builtin:macs:
        // none of them is a weights file to read metadata from (this read ended such a predict with LG0100).
        if (!File.Exists(path))
        {
            return [];
        }

        var file = LatencyGate.Learning.WeightFiles.WeightFileReader.Read(path);
        return MeasuredOnMetadata.Decode(file.Metadata);
    }

    private static string ToJson(LatencyEstimate estimate, (int Low, int High)? interpolatedFrom, IReadOnlyList<IReadOnlyList<KeyValuePair<string, string>>> measuredOn)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteNumberOrNull("latency_ms", estimate.Ms);
            writer.WriteNumberOrNull("lower_ms", estimate.LowerMs);
            writer.WriteNumberOrNull("upper_ms", estimate.UpperMs);
            if (interpolatedFrom is { } from)
            {
                writer.WriteStartArray("interpolated_from");
                writer.WriteNumberValue(from.Low);
                writer.WriteNumberValue(from.High);
                writer.WriteEndArray();
            }

            if (measuredOn.Count > 0)
            {
                writer.WriteStartArray("measured_on");
                foreach (var machine in measuredOn)
                {
                    writer.WriteStartObject();
                    foreach (var (key, value) in machine)
                    {
                        if (key is "logical_cores" or "threads" or "batch_size" && long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n))
                        {
                            writer.WriteNumber(key, n);
                        }
                        else
                        {
                            writer.WriteString(key, value);
                        }
                    }

                    writer.WriteEndObject();
                }

                writer.WriteEndArray();
            }

            writer.WriteEndObject();
        }

        return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static string ToHuman(LatencyEstimate estimate, ILatencyPredictor predictor, Arch arch, (int Low, int High)? interpolatedFrom)
    {
        var text = string.Create(CultureInfo.InvariantCulture, $"{estimate.Ms:F4} ms");
        if (predictor.IntervalMethod != IntervalMethod.None)
        {
            text += string.Create(CultureInfo.InvariantCulture, $" ({Confidence:P0} interval {estimate.LowerMs:F4} .. {estimate.UpperMs:F4} ms, {predictor.IntervalMethod})");
        }

        text += $"  {arch.CanonicalKey}  [{predictor.Description}]";
        if (interpolatedFrom is { } from)
        {
            text += string.Create(CultureInfo.InvariantCulture, $"  (no table for {arch.Resolution}: interpolated between the {from.Low} and {from.High} tables)");
        }

        return text;
    }
}
