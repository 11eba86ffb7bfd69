using System.Globalization;
using System.Text;
using System.Text.Json.Serialization;

namespace LatencyGate.Benchmarks;

/// <summary>One row of accuracy.json (design contract: task, method, device, shots, n_test, metrics, fit time).</summary>
internal sealed record AccuracyRow(
    [property: JsonPropertyName("task")] string Task,
    [property: JsonPropertyName("method")] string Method,
    [property: JsonPropertyName("device")] string Device,
    [property: JsonPropertyName("shots")] int Shots,
    [property: JsonPropertyName("n_test")] int NTest,
    [property: JsonPropertyName("mae_ms")] double MaeMs,
    [property: JsonPropertyName("rmse_ms")] double RmseMs,
    [property: JsonPropertyName("mape_pct")] double MapePct,
    [property: JsonPropertyName("within10_pct")] double Within10Pct,
    [property: JsonPropertyName("spearman")] double Spearman,
    [property: JsonPropertyName("kendall")] double Kendall,
    [property: JsonPropertyName("fit_seconds")] double FitSeconds)
{
    /// <summary>Extra figures a task needs (coverage, false-pass rate, chosen strategy...), kept in the same row.</summary>
    [JsonPropertyName("extra")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyDictionary<string, object>? Extra { get; init; }

    public string ToLine() => string.Create(
        CultureInfo.InvariantCulture,
        $"{Task,-22} {Method,-34} {Device,-28} shots={Shots,5} n={NTest,6} MAE={MaeMs,8:F4} RMSE={RmseMs,8:F4} MAPE={MapePct,6:F2}% w10={Within10Pct,6:F1}% rho={Spearman,6:F4} tau={Kendall,6:F4} fit={FitSeconds,7:F2}s{ExtraText()}");

    public static string ToMarkdown(IReadOnlyList<AccuracyRow> rows, int cores)
    {
        var sb = new StringBuilder();
        sb.AppendLine(CultureInfo.InvariantCulture, $"Accuracy benchmark ({cores} cores)").AppendLine();
        sb.AppendLine("| task | method | device | shots | n_test | MAE ms | RMSE ms | MAPE % | within ±10 % | Spearman | Kendall | fit s | extra |");
        sb.AppendLine("|---|---|---|---|---|---|---|---|---|---|---|---|---|");
        foreach (var r in rows)
        {
            sb.AppendLine(CultureInfo.InvariantCulture, $"| {r.Task} | {r.Method} | {r.Device} | {r.Shots} | {r.NTest} | {r.MaeMs:F4} | {r.RmseMs:F4} | {r.MapePct:F2} | {r.Within10Pct:F1} | {r.Spearman:F4} | {r.Kendall:F4} | {r.FitSeconds:F2} | {r.ExtraText().Trim()} |");
        }

        return sb.ToString();
    }

    private string ExtraText() => Extra is null
        ? string.Empty
        : " " + string.Join(" ", Extra.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => string.Create(CultureInfo.InvariantCulture, $"{kv.Key}={FormatValue(kv.Value)}")));

    private static string FormatValue(object value) => value switch
    {
        double d => d.ToString("G5", CultureInfo.InvariantCulture),
        float f => f.ToString("G5", CultureInfo.InvariantCulture),
        // Rows read back from a JSON file (merge) hold their extras as JSON values.
        System.Text.Json.JsonElement { ValueKind: System.Text.Json.JsonValueKind.Number } e => e.GetDouble().ToString("G5", CultureInfo.InvariantCulture),
        System.Text.Json.JsonElement { ValueKind: System.Text.Json.JsonValueKind.String } e => e.GetString() ?? string.Empty,
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? string.Empty,
    };
}
