using System.Globalization;
using System.Text.Json.Serialization;

namespace LatencyGate.Benchmarks;

/// <summary>One figure of speed.json, e.g. ("search_500gen_wall_s", 0.31, "s", "OFA acc predictor, Note10 LUT").</summary>
internal sealed record SpeedFigure(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("value")] double Value,
    [property: JsonPropertyName("unit")] string Unit,
    [property: JsonPropertyName("notes")] string Notes)
{
    public string ToLine() => string.Create(CultureInfo.InvariantCulture, $"{Name,-44} {Value,14:G6} {Unit,-10} {Notes}");
}

internal sealed record SpeedReport(
    [property: JsonPropertyName("cores")] int Cores,
    [property: JsonPropertyName("os")] string Os,
    [property: JsonPropertyName("runtime")] string Runtime,
    [property: JsonPropertyName("figures")] IReadOnlyList<SpeedFigure> Figures);
