using System.Globalization;
using System.Text.Json;
using LatencyGate.Predictors;
using LatencyGate.Predictors.Lut;
using LatencyGate.Spaces;
using Shouldly;
using Xunit;

namespace LatencyGate.Tests;

/// <summary>The built-in profiles (OFA's Note10 tables and accuracy predictor) from the CLI and the manifest.</summary>
public sealed class BuiltinProfileTests
{
    private const string Arch = """{"ks":[3,5,7,5,3,5,7,5,3,5,7,5,3,5,7,5,3,5,7,5],"e":[4,4,6,3,4,4,6,3,4,4,6,3,4,4,6,3,4,4,6,3],"d":[3,3,3,3,3],"r":[192]}""";

    [Fact]
    public void Profiles_lists_both_with_their_space_and_licence()
    {
        var (code, stdout, stderr) = CliRunner.Run("profiles", "--json");

        code.ShouldBe(0, stderr);
        var profiles = JsonDocument.Parse(stdout).RootElement.GetProperty("profiles").EnumerateArray().ToArray();
        profiles.Select(p => p.GetProperty("name").GetString()).ShouldBe(["builtin:note10", "builtin:ofa-w1.2"]);
        profiles.ShouldAllBe(p => p.GetProperty("space").GetString() == "ofa-mbv3-w1.2" && p.GetProperty("licence").GetString()!.StartsWith("MIT", StringComparison.Ordinal));
    }

    [ReferenceDataFact]
    public void The_builtin_tables_predict_exactly_what_the_published_tables_do()
    {
        var builtin = LookupTablePredictor.Load("builtin:note10", OfaSpace.W12);
        var published = LookupTablePredictor.Load(ReferenceData.PathOf("ofa-lut", "note10"), OfaSpace.W12);
        builtin.Resolutions.ShouldBe(published.Resolutions);
        var random = new Randomness.SeededRandom(7);
        var sampler = new ArchSampler(OfaSpace.W12.Resolutions.Where(r => r >= 160).ToArray());
        for (var i = 0; i < 200; i++)
        {
            var arch = sampler.Sample(random);
            builtin.Predict(arch).ShouldBe(published.Predict(arch));
        }
    }

    [ReferenceDataFact]
    public void The_builtin_accuracy_predictor_scores_exactly_what_acc_predictor_pth_does()
    {
        var builtin = AccuracyPredictorFile.Load("builtin:ofa-w1.2");
        var pth = AccuracyPredictorFile.Load(ReferenceData.PathOf("ofa-acc-predictor", "original", "acc_predictor.pth"));
        var random = new Randomness.SeededRandom(11);
        var sampler = new ArchSampler([160, 176, 192, 208, 224]);
        var archs = Enumerable.Range(0, 100).Select(_ => sampler.Sample(random)).ToArray();
        var a = new double[archs.Length];
        var b = new double[archs.Length];
        builtin.Score(archs, a);
        pth.Score(archs, b);
        a.ShouldBe(b);
    }

    [Fact]
    public void Predict_and_accuracy_take_builtin_names()
    {
        var latency = CliRunner.Run("predict", "--space", "ofa-mbv3-w1.2", "--lut", "builtin:note10", "--arch-json", Arch, "--json");
        latency.ExitCode.ShouldBe(0, latency.Stderr);
        JsonDocument.Parse(latency.Stdout).RootElement.GetProperty("latency_ms").GetDouble().ShouldBeInRange(5, 60);

        var accuracy = CliRunner.Run("accuracy", "--space", "ofa-mbv3-w1.2", "--predictor", "builtin:ofa-w1.2", "--arch-json", Arch, "--json");
        accuracy.ExitCode.ShouldBe(0, accuracy.Stderr);
        JsonDocument.Parse(accuracy.Stdout).RootElement.GetProperty("accuracy").GetDouble().ShouldBeInRange(0.7, 0.85);
    }

    [Fact]
    public void A_misspelt_builtin_name_gets_a_did_you_mean()
    {
        var line = CliRunner.Run("predict", "--space", "ofa-mbv3-w1.2", "--lut", "builtin:note1O", "--arch-json", Arch).ExpectSingleError("LG0420");
        line.ShouldContain("did you mean 'builtin:note10'?");
    }

    [Fact]
    public void The_builtin_accuracy_predictor_refuses_the_w10_space_and_tables_are_not_a_predictor()
    {
        CliRunner.Run("accuracy", "--space", "ofa-mbv3-w1.0", "--predictor", "builtin:ofa-w1.2", "--arch-json", Arch).ExpectSingleError("LG0422");
        CliRunner.Run("accuracy", "--space", "ofa-mbv3-w1.2", "--predictor", "builtin:note10", "--arch-json", Arch).ExpectSingleError("LG0421");
    }

    [Fact]
    public void A_manifest_names_builtin_profiles_and_a_wrong_space_is_located_at_its_line()
    {
        using var folder = new TempFolder();
        File.WriteAllText(folder.File("arch.json"), Arch);
        File.WriteAllText(folder.File("latency-gate.yaml"), """
            version: 1
            space: ofa-mbv3-w1.0
            accuracy:
              predictor: builtin:ofa-w1.2
            model:
              arch: arch.json
            devices:
              - name: note10
                budget_ms: 30
                predictor:
                  lut: builtin:note10
            """);

        var (code, _, stderr) = CliRunner.Run("check", "--manifest", folder.File("latency-gate.yaml"));

        code.ShouldBe(2);
        stderr.ShouldContain("latency-gate.yaml(4,14): error LG0422: 'builtin:ofa-w1.2' (accuracy predictor) is for space ofa-mbv3-w1.2, not ofa-mbv3-w1.0");
        stderr.ShouldContain("latency-gate.yaml(11,12): error LG0422: 'builtin:note10' (latency lookup tables) is for space ofa-mbv3-w1.2");
        stderr.ShouldNotContain("   at ");
    }

    [Fact]
    public void A_manifest_on_builtin_profiles_checks_an_arch()
    {
        using var folder = new TempFolder();
        File.WriteAllText(folder.File("arch.json"), Arch);
        File.WriteAllText(folder.File("latency-gate.yaml"), """
            version: 1
            space: ofa-mbv3-w1.2
            accuracy:
              predictor: builtin:ofa-w1.2
            model:
              arch: arch.json
            devices:
              - name: note10
                budget_ms: 60
                predictor:
                  lut: builtin:note10
            """);

        var (code, stdout, stderr) = CliRunner.Run("check", "--manifest", folder.File("latency-gate.yaml"));

        code.ShouldBe(0, stderr);
        var predicted = CliRunner.Run("predict", "--space", "ofa-mbv3-w1.2", "--lut", "builtin:note10", "--arch-json", Arch, "--json");
        var ms = JsonDocument.Parse(predicted.Stdout).RootElement.GetProperty("latency_ms").GetDouble();
        stdout.ShouldContain($"gated latency {ms.ToString("0.00", CultureInfo.InvariantCulture)} ms (predicted)");
    }
}
