using System.Text.Json;
using LatencyGate.Learning.WeightFiles;
using Shouldly;
using Xunit;

namespace LatencyGate.Tests;

/// <summary>
/// A verdict that rests on no uncertainty model, or on a predictor with a poor held-out error, says
/// so and warns (LG0060, LG0061); no zero-width range is ever shown as an interval.
/// </summary>
public sealed class HonestIntervalTests
{
    [Fact]
    public void Devices_without_an_uncertainty_model_say_so_in_text_and_json_and_warn_LG0060()
    {
        using var fleet = new TempFolder("examples/fleet");

        var (code, stdout, stderr) = CliRunner.Run("check", "--manifest", fleet.File("latency-gate.yaml"), "--report-dir", fleet.File("out"));

        code.ShouldBe(0, stderr);
        stdout.ShouldNotMatch(@"(\d+\.\d\d)–\1 ms");
        stdout.ShouldContain("PASS  edge-gpu: gated latency 2.47 ms (predicted; no uncertainty model, so no 90% interval)");
        var warnings = stderr.Split('\n').Where(l => l.Contains("warning LG0060: ", StringComparison.Ordinal)).ToArray();
        warnings.Select(w => w[(w.IndexOf("device '", StringComparison.Ordinal) + 8)..].Split('\'')[0]).ShouldBe(["phone-big", "edge-gpu", "server-gpu"], stderr);
        warnings.ShouldAllBe(w => w.StartsWith(fleet.File("latency-gate.yaml") + "(15,15): ", StringComparison.Ordinal), "at the confidence the devices take from defaults");

        using var json = JsonDocument.Parse(File.ReadAllText(fleet.File("out/latency-gate.json")));
        var devices = json.RootElement.GetProperty("devices").EnumerateArray().ToDictionary(d => d.GetProperty("name").GetString()!);
        devices["phone-big"].GetProperty("lower_ms").ValueKind.ShouldBe(JsonValueKind.Null);
        devices["phone-big"].GetProperty("upper_ms").ValueKind.ShouldBe(JsonValueKind.Null);
        devices["phone-big"].GetProperty("no_interval_reason").GetString().ShouldBe("no uncertainty model");
        devices["phone-mid"].GetProperty("upper_ms").GetDouble().ShouldBeGreaterThan(devices["phone-mid"].GetProperty("lower_ms").GetDouble());
        devices["phone-mid"].GetProperty("no_interval_reason").ValueKind.ShouldBe(JsonValueKind.Null);
        json.RootElement.GetProperty("diagnostics").EnumerateArray().Count(d => d.GetProperty("code").GetString() == "LG0060").ShouldBe(3);
    }

    [Fact]
    public void A_generalized_predictor_with_a_poor_leave_one_device_out_error_is_warned_about_LG0061()
    {
        using var fleet = new TempFolder("examples/fleet");
        // The issue's case: trained on two GPUs, leave-one-device-out MAPE 111 % and 54 %.
        RecordMetrics(fleet.File("predictors/generalized-gpu.safetensors"), new Dictionary<string, double> { ["lodo_mape_pct_gpu-a"] = 111.2, ["lodo_mape_pct_gpu-b"] = 54.3 });

        var (code, _, stderr) = CliRunner.Run("check", "--manifest", fleet.File("latency-gate.yaml"), "--report-dir", fleet.File("out"));

        code.ShouldBe(0, stderr);
        var warning = stderr.Split('\n').Single(l => l.Contains("warning LG0061: ", StringComparison.Ordinal));
        warning.ShouldContain("device 'server-gpu': its predictor's leave-one-device-out MAPE on 'gpu-a' is 111.2 %, over 20 %");
        warning.ShouldStartWith(fleet.File("latency-gate.yaml") + "(44,7): ", customMessage: "at the line naming the generalized predictor");
    }

    [Fact]
    public void A_generalized_predictor_that_records_no_held_out_error_is_unknown_and_warned_about()
    {
        using var fleet = new TempFolder("examples/fleet");
        RecordMetrics(fleet.File("predictors/generalized-gpu.safetensors"), new Dictionary<string, double>());

        var (_, _, stderr) = CliRunner.Run("check", "--manifest", fleet.File("latency-gate.yaml"), "--report-dir", fleet.File("out"));

        stderr.ShouldContain("warning LG0061: device 'server-gpu': its predictor's leave-one-device-out error is unknown");
    }

    private static void RecordMetrics(string path, IReadOnlyDictionary<string, double> metrics)
    {
        var (metadata, file) = PredictorFile.Read(path);
        PredictorFile.Write(path, metadata with { TrainingMetrics = metrics }, file.Tensors);
    }
}
