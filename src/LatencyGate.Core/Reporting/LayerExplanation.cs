using System.Globalization;
using System.Text;
using System.Text.Json;
using LatencyGate.Predictors.Lut;
using LatencyGate.Spaces;

namespace LatencyGate.Reporting;

/// <summary>
/// What <c>explain</c> prints: every layer of one sub-network with its shape, MACs, params and
/// (with lookup tables) latency, as one JSON object or as a text table. Lines end in <c>\n</c>;
/// the host converts them to its console's line ending.
/// </summary>
internal sealed class LayerExplanation
{
    private readonly OfaSpace _space;
    private readonly Arch _arch;
    private readonly IReadOnlyList<LutLayerLatency> _layers;
    private readonly LutBreakdown? _breakdown;
    private readonly string? _latencySource;

    private LayerExplanation(OfaSpace space, Arch arch, IReadOnlyList<LutLayerLatency> layers, LutBreakdown? breakdown, string? latencySource)
    {
        _space = space;
        _arch = arch;
        _layers = layers;
        _breakdown = breakdown;
        _latencySource = latencySource;
    }

    /// <summary>The layers of <paramref name="arch"/>, with latencies from <paramref name="tables"/> when given.</summary>
    public static LayerExplanation Of(OfaSpace space, Arch arch, LookupTablePredictor? tables)
    {
        ArgumentNullException.ThrowIfNull(space);
        ArgumentNullException.ThrowIfNull(arch);
        var breakdown = tables?.Explain(arch);
        var layers = breakdown?.Layers ?? [.. OfaMobileNetV3.Layers(arch, space).Select(l => new LutLayerLatency(l, double.NaN))];
        return new LayerExplanation(space, arch, layers, breakdown, tables?.Description);
    }

    private static string TypeName(OfaLayer layer) => layer.LutKey[..layer.LutKey.IndexOf("-input", StringComparison.Ordinal)];

    public string ToJson()
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteString("space", _space.Name);
            w.WritePropertyName("arch");
            w.WriteRawValue(ArchJson.Write(_arch));
            w.WriteString("canonical_key", _arch.CanonicalKey);
            w.WriteNumber("macs", _layers.Sum(l => l.Layer.Macs));
            w.WriteNumber("params", _layers.Sum(l => l.Layer.Params));
            if (_breakdown is null)
            {
                w.WriteNull("latency_ms");
            }
            else
            {
                w.WriteNumberOrNull("latency_ms", _breakdown.TotalMs);
            }

            if (_breakdown?.InterpolatedFrom is { } from)
            {
                w.WriteStartArray("interpolated_from");
                w.WriteNumberValue(from.Low);
                w.WriteNumberValue(from.High);
                w.WriteEndArray();
            }

            w.WriteStartArray("layers");
            foreach (var (layer, ms) in _layers)
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

        return Encoding.UTF8.GetString(buffer.ToArray()) + "\n";
    }

    public string ToTable()
    {
        var inv = CultureInfo.InvariantCulture;
        var header = new[] { "#", "layer", "slot", "input", "output", "k", "s", "mid", "se", "hs", "skip", "MACs (M)", "params", "ms", "%" };
        var rows = new List<string[]>();
        var total = _breakdown?.TotalMs ?? double.NaN;
        for (var i = 0; i < _layers.Count; i++)
        {
            var (l, ms) = _layers[i];
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
            (_layers.Sum(l => l.Layer.Macs) / 1e6).ToString("F3", inv),
            _layers.Sum(l => l.Layer.Params).ToString(inv),
            double.IsNaN(total) ? "-" : total.ToString("F4", inv),
            double.IsNaN(total) ? "-" : "100.0",
        ]);
        var widths = header.Select((h, c) => Math.Max(h.Length, rows.Max(r => r[c].Length))).ToArray();
        var leftAligned = new[] { 1, 3, 4 };
        var sb = new StringBuilder();
        sb.Append(inv, $"space {_space.Name}, arch {_arch.CanonicalKey}").AppendLine();
        if (_latencySource is not null)
        {
            sb.Append("latency from ").Append(_latencySource);
            if (_breakdown?.InterpolatedFrom is { } from)
            {
                sb.Append(inv, $"; no table for {_arch.Resolution}: interpolated between the {from.Low} and {from.High} tables");
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

        return sb.ToString();
    }
}
