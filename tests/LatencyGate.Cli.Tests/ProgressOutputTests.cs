using System.Text.Json;
using Shouldly;
using Xunit;

namespace LatencyGate.Tests;

/// <summary>
/// Long commands say what they are doing while they run: redirected (as here, and in CI) as plain
/// "progress: …" lines on stderr, so that stdout with --json stays one JSON object.
/// </summary>
public sealed class ProgressOutputTests
{
    [Fact]
    public void Redirected_check_prints_its_phases_on_stderr_and_json_stays_parseable()
    {
        using var fleet = new TempFolder("examples/fleet");

        var (code, stdout, stderr) = CliRunner.Run("check", "--manifest", fleet.File("latency-gate.yaml"), "--report-dir", fleet.File("out"), "--json");

        code.ShouldBe(0, stderr);
        var progress = ProgressLines(stderr);
        progress.ShouldContain(l => l.StartsWith("progress: reading latency-gate.yaml [", StringComparison.Ordinal), stderr);
        progress.ShouldContain(l => l.StartsWith("progress: building predictors 0/5 (phone-big) [", StringComparison.Ordinal), stderr);
        progress.ShouldContain(l => l.StartsWith("progress: predicting the shipped model [", StringComparison.Ordinal), stderr);
        using var json = JsonDocument.Parse(stdout);
        json.RootElement.GetProperty("verdict").GetString().ShouldBe("pass");
    }

    [Fact]
    public void Redirected_search_reports_generations_and_json_stays_parseable()
    {
        using var folder = new TempFolder();
        File.WriteAllText(folder.File("m.yaml"), """
            version: 1
            space: ofa-mbv3-w1.2
            accuracy: macs
            search:
              mode: per-device
              resolutions: [160, 176]
              population: 20
              generations: 10
            devices:
              - name: note10
                budget_ms: 30
                predictor:
                  lut: builtin:note10
            """);

        var (code, stdout, stderr) = CliRunner.Run("search", "--manifest", folder.File("m.yaml"), "--out", folder.File("out"), "--json");

        code.ShouldBe(0, stderr);
        var progress = ProgressLines(stderr);
        progress.ShouldContain(l => l.StartsWith("progress: building predictors 0/1 (note10) [", StringComparison.Ordinal), stderr);
        progress.ShouldContain(l => l.StartsWith("progress: searching", StringComparison.Ordinal), stderr);
        using var json = JsonDocument.Parse(stdout);
        json.RootElement.GetProperty("exit_code").GetInt32().ShouldBe(0);
    }

    [Fact]
    public void Redirected_fit_reports_training_epochs_and_json_stays_parseable()
    {
        using var folder = new TempFolder("examples/fleet");

        var (code, stdout, stderr) = CliRunner.Run("fit", "--space", "ofa-mbv3-w1.2", "--data", folder.File("data/phone-mid.csv"), "--model", "mlp", "--epochs", "3", "--out", folder.File("p.safetensors"), "--json");

        code.ShouldBe(0, stderr);
        var progress = ProgressLines(stderr);
        progress.ShouldContain(l => l.StartsWith("progress: reading phone-mid.csv [", StringComparison.Ordinal), stderr);
        progress.ShouldContain(l => l.StartsWith("progress: fitting mlp [", StringComparison.Ordinal), stderr);
        progress.ShouldContain(l => l.StartsWith("progress: training 1/3 epochs [", StringComparison.Ordinal), stderr);
        using var json = JsonDocument.Parse(stdout);
        json.RootElement.GetProperty("kind").GetString().ShouldBe("fit");
    }

    private static string[] ProgressLines(string stderr) =>
        stderr.Split('\n').Where(l => l.StartsWith("progress: ", StringComparison.Ordinal)).ToArray();
}
