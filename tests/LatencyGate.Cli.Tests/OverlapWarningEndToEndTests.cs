using System.Globalization;
using System.Text.Json;
using Shouldly;
using Xunit;

namespace LatencyGate.Tests;

/// <summary>
/// Issue 19: LG0209 end to end. A base predictor fitted with <c>fit</c> records its training
/// archs; measurements that are mostly those archs (fewer than 10 others) cannot calibrate honest
/// intervals, and both <c>fit --base</c> and the gate (<c>check</c> on a <c>finetune</c> device) say so.
/// </summary>
public sealed class OverlapWarningEndToEndTests
{
    private const string Space = "ofa-mbv3-w1.2";

    [Fact]
    public void Fit_base_and_the_gate_warn_LG0209_when_calibration_rests_on_the_bases_training_archs()
    {
        using var folder = new TempFolder();
        var baseCsv = Measure(folder, "sim-phone-big-core", Sample(folder, "trained.txt", 100, seed: 1), "base.csv");
        Run("fit", "--space", Space, "--data", baseCsv, "--out", folder.File("base.safetensors"));
        // The target measured on the base's 100 training archs and on only 4 others.
        var overlapping = folder.File("overlap.txt");
        File.WriteAllLines(overlapping, [.. File.ReadAllLines(folder.File("trained.txt")), .. File.ReadAllLines(Sample(folder, "new.txt", 4, seed: 99))]);
        var targetCsv = Measure(folder, "sim-edge-npu", overlapping, "target.csv");

        var fit = CliRunner.Run("fit", "--space", Space, "--data", targetCsv, "--base", folder.File("base.safetensors"), "--strategy", "affine", "--shots", "20", "--out", folder.File("adapted.safetensors"));

        fit.ExitCode.ShouldBe(0, fit.Stderr);
        fit.Stderr.ShouldContain("warning LG0209: ");
        fit.Stderr.ShouldMatch(@"archs the base was trained on, and only [0-4] are not");
        File.Exists(folder.File("adapted.safetensors")).ShouldBeTrue();

        var manifest = WriteManifest(folder, "target.csv");
        var check = CliRunner.Run("check", "--manifest", manifest, "--json");
        var cached = CliRunner.Run("check", "--manifest", manifest);

        check.ExitCode.ShouldBe(0, check.Stderr);
        var diagnostic = JsonDocument.Parse(check.Stdout).RootElement.GetProperty("diagnostics").EnumerateArray()
            .Single(d => d.GetProperty("code").GetString() == "LG0209");
        diagnostic.GetProperty("severity").GetString().ShouldBe("warning");
        diagnostic.GetProperty("message").GetString()!.ShouldContain("widened");
        diagnostic.GetProperty("location").GetProperty("file").GetString()!.ShouldEndWith("target.csv");
        // From the cache the adaptation is not rerun, and the warning still comes.
        cached.ExitCode.ShouldBe(0, cached.Stderr);
        cached.Stderr.ShouldContain("target.csv: warning LG0209: ");
    }

    [Fact]
    public void Measurements_the_base_never_saw_give_no_LG0209()
    {
        using var folder = new TempFolder();
        var baseCsv = Measure(folder, "sim-phone-big-core", Sample(folder, "trained.txt", 100, seed: 1), "base.csv");
        Run("fit", "--space", Space, "--data", baseCsv, "--out", folder.File("base.safetensors"));
        var targetCsv = Measure(folder, "sim-edge-npu", Sample(folder, "fresh.txt", 40, seed: 77), "target.csv");

        var fit = CliRunner.Run("fit", "--space", Space, "--data", targetCsv, "--base", folder.File("base.safetensors"), "--strategy", "affine", "--shots", "20", "--out", folder.File("adapted.safetensors"));
        var check = CliRunner.Run("check", "--manifest", WriteManifest(folder, "target.csv"));

        fit.ExitCode.ShouldBe(0, fit.Stderr);
        fit.Stderr.ShouldNotContain("LG0209");
        check.ExitCode.ShouldBe(0, check.Stderr);
        check.Stderr.ShouldNotContain("LG0209");
    }

    private static string WriteManifest(TempFolder folder, string measurements)
    {
        File.WriteAllText(folder.File("model.arch.json"), File.ReadAllLines(folder.File("trained.txt"))[0]);
        File.WriteAllText(folder.File("latency-gate.yaml"), $$"""
            version: 1
            space: {{Space}}
            model:
              arch: model.arch.json
            defaults:
              confidence: 0.9
            devices:
              - name: npu
                budget_ms: 1000
                predictor:
                  finetune: {base: base.safetensors, measurements: {{measurements}}, strategy: affine, shots: 20}
            outputs:
              dir: reports
            """);
        return folder.File("latency-gate.yaml");
    }

    private static string Sample(TempFolder folder, string name, int count, ulong seed)
    {
        var (code, stdout, stderr) = CliRunner.Run("sample", "--space", Space, "--count", count.ToString(CultureInfo.InvariantCulture), "--seed", seed.ToString(CultureInfo.InvariantCulture));
        code.ShouldBe(0, stderr);
        File.WriteAllText(folder.File(name), stdout);
        return folder.File(name);
    }

    private static string Measure(TempFolder folder, string preset, string archs, string name)
    {
        Run("simulate", "--device", preset, "--space", Space, "--archs", archs, "--seed", "5", "--out", folder.File(name));
        return folder.File(name);
    }

    private static void Run(params string[] args)
    {
        var (code, _, stderr) = CliRunner.Run(args);
        code.ShouldBe(0, stderr);
    }
}
