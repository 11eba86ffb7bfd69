using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json;
using LatencyGate.Predictors.Lut;
using LatencyGate.Reporting;
using LatencyGate.Spaces;

namespace LatencyGate.Cli.Commands;

/// <summary>
/// <c>explain --space S [--lut DIR] (--arch FILE | --arch-json JSON) [--json] [--interpolate]</c>:
/// every layer with its shape, MACs, params and (with a LUT) latency.
/// </summary>
internal static class ExplainCommand
{
    public static Command Create(TextWriter stdout)
    {
        var space = new Option<string>("--space") { Description = "Search space: ofa-mbv3-w1.0 or ofa-mbv3-w1.2.", Required = true };
        var lut = new Option<string?>("--lut") { Description = "Folder of OFA lookup tables, or builtin:note10; without it only shapes, MACs and params are shown." };
        var arch = new Option<string?>("--arch") { Description = "Arch file (OFA JSON or Python dict literal), or the arch key the tool prints (r192-d23232-k…)." };
        var archJson = new Option<string?>("--arch-json") { Description = "The arch inline." };
        var json = new Option<bool>("--json") { Description = "Print one JSON object." };
        var interpolate = new Option<bool>("--interpolate") { Description = "Interpolate between the two nearest tables when the resolution has none." };
        var command = new Command("explain", "Per-layer shapes, MACs and lookup-table latency of one sub-network.") { space, lut, arch, archJson, json, interpolate };
        command.SetAction(pr =>
        {
            var s = OfaSpace.Get(pr.GetValue(space)!);
            var a = ArchJson.FromFileOrText(pr.GetValue(arch), pr.GetValue(archJson), s);
            var lutFolder = pr.GetValue(lut);
            LutBreakdown? breakdown = null;
            string? description = null;
            if (lutFolder is not null)
            {
                var predictor = LookupTablePredictor.Load(lutFolder, s, pr.GetValue(interpolate));
                breakdown = predictor.Explain(a);
                description = predictor.Description;
            }

            var layers = breakdown?.Layers ?? [.. OfaMobileNetV3.Layers(a, s).Select(l => new LutLayerLatency(l, double.NaN))];
            stdout.Write(pr.GetValue(json) ? ToJson(s, a, layers, breakdown) : ToTable(s, a, layers, breakdown, description));
            return 0;
        });
        return command;
    }

    private static string TypeName(OfaLayer layer) => layer.LutKey[..layer.LutKey.IndexOf("-input", StringComparison.Ordinal)];

    private static string ToJson(OfaSpace space, Arch arch, IReadOnlyList<LutLayerLatency> layers, LutBreakdown? breakdown)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteString("space", space.Name);
            w.WritePropertyName("arch");
            w.WriteRawValue(ArchJson.Write(arch));
            w.WriteString("canonical_key", arch.CanonicalKey);
            w.WriteNumber("macs", layers.Sum(l => l.Layer.Macs));
            w.WriteNumber("params", layers.Sum(l => l.Layer.Params));
            if (breakdown is null)
            {
                w.WriteNull("latency_ms");
            }
            else
            {
                w.WriteNumberOrNull("latency_ms", breakdown.TotalMs);
            }

            if (breakdown?.InterpolatedFrom is { } from)
            {
                w.WriteStartArray("interpolated_from");
                w.WriteNumberValue(from.Low);
                w.WriteNumberValue(from.High);
                w.WriteEndArray();
            }

            w.WriteStartArray("layers");
            foreach (var (layer, ms) in layers)
            {
                w.WriteStartObject();
                w.WriteString("type", TypeName(layer));
                w.WriteNumber("slot", layer.Slot);
                w.WriteString("input", layer.InputShape);
                w.WriteString("output", layer.OutputShape);
                w.WriteNumber("kernel", layer.Kernel);
                w.WriteNumber("stride", layer.Stride);
                w.WriteNumber("expand", layer.ExpandWidth);
                w.WriteBoolean("se", layer.Se);
                w.WriteBoolean("hs", layer.HSwish);
                w.WriteBoolean("idskip", layer.IdSkip);
                w.WriteNumber("macs", layer.Macs);
                w.WriteNumber("params", layer.Params);
                if (double.IsNaN(ms))
                {
                    w.WriteNull("latency_ms");
                }
                else
                {
                    w.WriteNumberOrNull("latency_ms", ms);
                }

                w.WriteString("lut_key", layer.LutKey);
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray()) + Environment.NewLine;
    }

    private static string ToTable(OfaSpace space, Arch arch, IReadOnlyList<LutLayerLatency> layers, LutBreakdown? breakdown, string? description)
    {
        var inv = CultureInfo.InvariantCulture;
        var header = new[] { "#", "layer", "slot", "input", "output", "k", "s", "mid", "se", "hs", "skip", "MACs (M)", "params", "ms", "%" };
        var rows = new List<string[]>();
        var total = breakdown?.TotalMs ?? double.NaN;
        for (var i = 0; i < layers.Count; i++)
        {
            var (l, ms) = layers[i];
            var isBlock = l.Kind is OfaLayerKind.Block or OfaLayerKind.FirstBlock;
            rows.Add(
            [
                i.ToString(inv),
                TypeName(l),
                l.Slot < 0 ? "-" : l.Slot.ToString(inv),
                l.InputShape,
                l.OutputShape,
                l.Kernel.ToString(inv),
                l.Stride.ToString(inv),
                isBlock ? l.ExpandWidth.ToString(inv) : "-",
                isBlock ? (l.Se ? "1" : "0") : "-",
                l.HSwish ? "1" : "0",
                isBlock ? (l.IdSkip ? "1" : "0") : "-",
                (l.Macs / 1e6).ToString("F3", inv),
                l.Params.ToString(inv),
                double.IsNaN(ms) ? "-" : ms.ToString("F4", inv),
                double.IsNaN(ms) ? "-" : (100 * ms / total).ToString("F1", inv),
            ]);
        }

        rows.Add(
        [
            string.Empty, "total", string.Empty, string.Empty, string.Empty, string.Empty, string.Empty, string.Empty, string.Empty, string.Empty, string.Empty,
            (layers.Sum(l => l.Layer.Macs) / 1e6).ToString("F3", inv),
            layers.Sum(l => l.Layer.Params).ToString(inv),
            double.IsNaN(total) ? "-" : total.ToString("F4", inv),
            double.IsNaN(total) ? "-" : "100.0",
        ]);
        var widths = header.Select((h, c) => Math.Max(h.Length, rows.Max(r => r[c].Length))).ToArray();
        var leftAligned = new[] { 1, 3, 4 };
        var sb = new StringBuilder();
        sb.Append(inv, $"space {space.Name}, arch {arch.CanonicalKey}").AppendLine();
        if (description is not null)
        {
            sb.Append("latency from ").Append(description);
            if (breakdown?.InterpolatedFrom is { } from)
            {
                sb.Append(inv, $"; no table for {arch.Resolution}: interpolated between the {from.Low} and {from.High} tables");
            }

            sb.AppendLine();
        }

        void Line(string[] cells)
        {
            for (var c = 0; c < cells.Length; c++)
            {
                if (c > 0)
                {
                    sb.Append("  ");
                }

                sb.Append(leftAligned.Contains(c) ? cells[c].PadRight(widths[c]) : cells[c].PadLeft(widths[c]));
            }

            sb.Append('\n');
        }

        Line(header);
        Line([.. widths.Select(w => new string('-', w))]);
        foreach (var row in rows)
        {
            Line(row);
        }

        return sb.ToString().Replace("\n", Environment.NewLine, StringComparison.Ordinal);
    }
}
