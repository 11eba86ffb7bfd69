using System.Text.Json;
using Shouldly;
using Xunit;

namespace LatencyGate.Tests;

/// <summary>
/// One rule for case on the command line (docs/cli.md): option names are exact, enumerated values are
/// read without regard to case in every command and used in their documented spelling. Before, the same
/// habit failed in some commands and passed in others: <c>--format JSON</c> and <c>--space OFA-MBV3-W1.2</c>
/// worked, <c>--runtime OnnxRuntime</c>, <c>--model ADDITIVE</c> and <c>--clock WALL</c> were errors.
/// </summary>
public sealed class EnumeratedValueCaseTests
{
    private const string Space = "OFA-MBV3-W1.2";

    [Fact]
    public void Enumerated_values_in_upper_case_work_in_every_command_and_are_used_in_lower_case()
    {
        using var folder = new TempFolder();

        // Resolutions the built-in Note10 tables have, for the adaptation below.
        var sample = CliRunner.Run("sample", "--space", Space, "--count", "30", "--seed", "2", "--resolutions", "160,176,192,208,224");
        sample.ExitCode.ShouldBe(0, sample.Stderr);
        File.WriteAllText(folder.File("sample.jsonl"), sample.Stdout);
        var simulate = CliRunner.Run("simulate", "--device", "SIM-PHONE-MID", "--space", Space, "--archs", folder.File("sample.jsonl"), "--seed", "2", "--out", folder.File("m.csv"));
        simulate.ExitCode.ShouldBe(0, simulate.Stderr);

        var fit = CliRunner.Run("fit", "--space", Space, "--data", folder.File("m.csv"), "--model", "ADDITIVE", "--engine", "MANAGED", "--out", folder.File("p.safetensors"), "--json");
        fit.ExitCode.ShouldBe(0, fit.Stderr);
        JsonDocument.Parse(fit.Stdout).RootElement.GetProperty("space").GetString().ShouldBe("ofa-mbv3-w1.2");

        var adapt = CliRunner.Run("fit", "--space", Space, "--data", folder.File("m.csv"), "--base", "builtin:note10", "--strategy", "AUTO", "--shots", "10", "--out", folder.File("a.safetensors"), "--json");
        adapt.ExitCode.ShouldBe(0, adapt.Stderr);
        JsonDocument.Parse(adapt.Stdout).RootElement.GetProperty("strategy").GetString().ShouldNotBeNullOrEmpty();

        var predict = CliRunner.Run("predict", "--space", Space, "--predictor", folder.File("p.safetensors"), "--arch", "r160-d22222-k33|33|33|33|33-e33|33|33|33|33", "--json");
        predict.ExitCode.ShouldBe(0, predict.Stderr);

        File.WriteAllText(folder.File("archs.jsonl"), "r160-d22222-k33|33|33|33|33-e33|33|33|33|33\n");
        var measure = CliRunner.Run("measure", "--space", Space, "--archs", folder.File("archs.jsonl"), "--out", folder.File("t.csv"), "--runtime", "OnnxRuntime", "--clock", "WALL", "--anchor", "NONE", "--warmup", "1", "--runs", "3", "--passes", "1", "--max-retries", "0");
        measure.ExitCode.ShouldBe(0, measure.Stderr);
        var measured = File.ReadAllText(folder.File("t.csv"));
        measured.ShouldContain(",onnxruntime,", Case.Sensitive);
        measured.ShouldNotContain("OnnxRuntime", Case.Sensitive);

        File.WriteAllText(folder.File("latency-gate.yaml"), """
            version: 1
            space: ofa-mbv3-w1.2
            accuracy: macs
            model:
              arch: r160-d22222-k33|33|33|33|33-e33|33|33|33|33
            devices:
              - name: phone
                budget_ms: 25
                predictor:
                  lut: builtin:note10
            """);
        var check = CliRunner.Run("check", "--manifest", folder.File("latency-gate.yaml"), "--report-dir", folder.File("out"), "--format", "JSON,HTML");
        check.ExitCode.ShouldBe(0, check.Stderr);
        File.Exists(folder.File("out/latency-gate.json")).ShouldBeTrue();
        File.Exists(folder.File("out/latency-gate.html")).ShouldBeTrue();
    }

    [Fact]
    public void Option_names_are_exact()
    {
        var result = CliRunner.Run("check", "--Format", "json");

        result.ExitCode.ShouldBe(2);
        result.Stderr.ShouldContain("error LG0900");
    }

    [Fact]
    public void An_unknown_value_is_still_named_as_typed()
    {
        using var folder = new TempFolder();
        File.WriteAllText(folder.File("archs.jsonl"), "r160-d22222-k33|33|33|33|33-e33|33|33|33|33\n");

        var error = CliRunner.Run("measure", "--space", Space, "--archs", folder.File("archs.jsonl"), "--out", folder.File("t.csv"), "--runtime", "TensorRT").ExpectSingleError("LG0800");

        error.ShouldContain("'TensorRT'");
    }
}
