using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using LatencyGate.Diagnostics;
using LatencyGate.Monotonicity;
using LatencyGate.Reporting;

namespace LatencyGate.Cli.Commands;

internal static class MonotonicityCommand
{
    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        // A correlation that cannot be computed is null, as in every --json output.
        Converters = { JsonNumbers.Options.Converters[0] },
    };

    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        _ = stderr;
        var data = new Option<string>("--data") { Description = "Measurements CSV (header row; one arch per row).", Required = true };
        var columns = new Option<string>("--columns") { Description = "Comma-separated device latency columns.", Required = true };
        var json = new Option<bool>("--json") { Description = "Print one JSON object instead of tables." };
        var threshold = new Option<double>("--threshold") { Description = "SRCC a proxy must reach to cover a target.", DefaultValueFactory = _ => 0.9 };
        var bootstrap = new Option<int>("--bootstrap") { Description = "Bootstrap resamples for the intervals.", DefaultValueFactory = _ => 200 };
        var seed = new Option<ulong>("--seed") { Description = "Seed of the bootstrap and the shot simulation.", DefaultValueFactory = _ => 1 };
        var command = new Command("monotonicity", "Spearman and Kendall matrices across devices, with a proxy recommendation.") { data, columns, json, threshold, bootstrap, seed };
        command.SetAction((pr, cancellationToken) =>
        {
            var t = pr.GetValue(threshold);
            if (t is <= -1 or > 1 || double.IsNaN(t))
            {
                throw new LatencyGateException(MonotonicityErrors.BadOption, string.Create(CultureInfo.InvariantCulture, $"--threshold {t} is outside (-1, 1]"));
            }

            var b = pr.GetValue(bootstrap);
            if (b is < 0 or > 100_000)
            {
                throw new LatencyGateException(MonotonicityErrors.BadOption, string.Create(CultureInfo.InvariantCulture, $"--bootstrap {b} is outside 0..100000"));
            }

            var table = MeasurementTable.Read(pr.GetValue(data)!);
            var devices = pr.GetValue(columns)!.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            var latency = devices.Select(table.Numbers).ToArray();
            var report = MonotonicityAnalysis.Analyze(devices, latency, ArchColumnReader.Read(table), t, b, pr.GetValue(seed), cancellationToken);
            if (pr.GetValue(json))
            {
                stdout.WriteLine(JsonSerializer.Serialize(report, JsonOptions));
            }
            else
            {
                stdout.Write(MonotonicityText.Format(report));
            }

            return Task.FromResult(0);
        });
        return command;
    }
}
