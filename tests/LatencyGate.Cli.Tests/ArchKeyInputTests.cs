using System.Text.Json;
using Shouldly;
using Xunit;

namespace LatencyGate.Tests;

/// <summary>The arch key the tool prints, given back as input: --arch, --arch-json and the manifest's model.arch.</summary>
public sealed class ArchKeyInputTests
{
    private const string Key = "r192-d23232-k35|553|53|553|53-e34|443|43|443|44";

    [Fact]
    public void Predict_takes_the_key_as_arch_and_as_arch_json_and_gives_what_the_json_gives()
    {
        var json = LatencyGate.Spaces.ArchJson.Write(LatencyGate.Spaces.ArchKey.Parse(Key, LatencyGate.Spaces.OfaSpace.W12));
        var viaJson = CliRunner.Run("predict", "--space", "ofa-mbv3-w1.2", "--lut", "builtin:note10", "--arch-json", json, "--json");
        var viaArch = CliRunner.Run("predict", "--space", "ofa-mbv3-w1.2", "--lut", "builtin:note10", "--arch", Key, "--json");
        var viaArchJson = CliRunner.Run("predict", "--space", "ofa-mbv3-w1.2", "--lut", "builtin:note10", "--arch-json", Key, "--json");

        viaJson.ExitCode.ShouldBe(0, viaJson.Stderr);
        viaArch.Stdout.ShouldBe(viaJson.Stdout, viaArch.Stderr);
        viaArchJson.Stdout.ShouldBe(viaJson.Stdout, viaArchJson.Stderr);
        var accuracy = CliRunner.Run("accuracy", "--space", "ofa-mbv3-w1.2", "--predictor", "builtin:ofa-w1.2", "--arch", Key, "--json");
        JsonDocument.Parse(accuracy.Stdout).RootElement.GetProperty("arch").GetString().ShouldBe(Key);
    }

    [Fact]
    public void A_mistyped_key_is_a_located_coded_error()
    {
        CliRunner.Run("predict", "--space", "ofa-mbv3-w1.2", "--lut", "builtin:note10", "--arch", "r192-d2323-k35|553|53|553|53-e34|443|43|443|44")
            .ExpectSingleError("LG0004").ShouldStartWith("--arch: error LG0004: arch key depths 'd2323' must be 5 digits");
    }

    [Fact]
    public void The_manifest_takes_the_key_as_model_arch()
    {
        using var folder = new TempFolder();
        File.WriteAllText(folder.File("latency-gate.yaml"), $"""
            version: 1
            space: ofa-mbv3-w1.2
            model:
              arch: {Key}
            devices:
              - name: note10
                budget_ms: 40
                predictor:
                  lut: builtin:note10
            """);

        var (code, stdout, stderr) = CliRunner.Run("check", "--manifest", folder.File("latency-gate.yaml"));

        code.ShouldBe(0, stderr);
        stdout.ShouldContain(Key);

        File.WriteAllText(folder.File("latency-gate.yaml"), File.ReadAllText(folder.File("latency-gate.yaml")).Replace("k35|", "k39|", StringComparison.Ordinal));
        var bad = CliRunner.Run("check", "--manifest", folder.File("latency-gate.yaml"));
        bad.ExitCode.ShouldBe(2);
        bad.Stderr.ShouldContain("latency-gate.yaml(4,9): error LG0001: model arch");
    }
}
