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
            var devices = CommandParsing.ParseColumns(pr.GetValue(columns));
            var latency = devices.Select(table.Latencies).ToArray();
            var report = MonotonicityAnalysis.Analyze(devices, latency, ArchColumnReader.Read(table), t, b, pr.GetValue(seed), cancellationToken);
            var undefined = Undefined(report);
            if (pr.GetValue(json))
            {
                var node = JsonSerializer.SerializeToNode(report, JsonOptions)!.AsObject();
                if (undefined.Count > 0)
                {
                    node["undefined"] = JsonSerializer.SerializeToNode(undefined);
                }

                stdout.WriteLine(node.ToJsonString());
            }
            else
            {
                stdout.Write(MonotonicityText.Format(report));
                foreach (var (name, why) in undefined)
                {
                    stdout.WriteLine($"n/a {name}: {why}");
                }
            }

            return Task.FromResult(0);
        });
        return command;
    }

    /// <summary>
    /// Why a correlation is null in --json ("n/a" in text), as every command that reports metrics says:
    /// a pair of devices where one has the same latency on every arch both measured has no order to compare.
    /// </summary>
    private static SortedDictionary<string, string> Undefined(MonotonicityReport report)
    {
        var undefined = new SortedDictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < report.Devices.Count; i++)
        {
            for (var j = i + 1; j < report.Devices.Count; j++)
            {
                if (!double.IsFinite(report.Spearman[i][j].Value) || !double.IsFinite(report.Kendall[i][j].Value))
                {
                    undefined[$"{report.Devices[i]}/{report.Devices[j]}"] = $"'{report.Devices[i]}' or '{report.Devices[j]}' has the same latency on every arch both measured: no order to compare, so their Spearman and Kendall are undefined";
                }
            }
        }

        return undefined;
    }
}
