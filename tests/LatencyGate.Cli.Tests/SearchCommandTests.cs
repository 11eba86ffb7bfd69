using Shouldly;

namespace LatencyGate.Tests;

/// <summary>The search command on OFA's published Note10 tables and accuracy predictor.</summary>
public sealed class SearchCommandTests
{
    private static string Manifest(double budgetMs, int generations) => $"""
        version: 1
        space: ofa-mbv3-w1.2
        accuracy:
          predictor: {ReferenceData.PathOf("ofa-acc-predictor", "original", "acc_predictor.pth")}
        search:
          mode: per-device
          resolutions: [160, 176, 192, 208, 224]
          generations: {generations}
          seed: 3
        devices:
          - name: note10
            budget_ms: {budgetMs.ToString(System.Globalization.CultureInfo.InvariantCulture)}
            predictor:
              lut: {ReferenceData.PathOf("ofa-lut", "note10")}
        """;

    [ReferenceDataFact]
    public void An_impossible_budget_ends_with_the_smallest_reachable_latency_and_exit_code_1()
    {
        using var folder = new TempFolder();
        File.WriteAllText(folder.File("m.yaml"), Manifest(5, 500));

        var (code, _, stderr) = CliRunner.Run("search", "--manifest", folder.File("m.yaml"), "--out", folder.File("out"));

        code.ShouldBe(1);
        stderr.ShouldContain("error LG0300: no sub-network fits the 5 ms budget on 'note10': the smallest latency reachable is 9.89 ms");
        stderr.ShouldNotContain("   at ");
    }

    [ReferenceDataFact]
    public void Same_seed_gives_the_same_bytes_with_one_and_two_threads()
    {
        using var folder = new TempFolder();
        File.WriteAllText(folder.File("m.yaml"), Manifest(25, 60));

        var one = CliRunner.Run("search", "--manifest", folder.File("m.yaml"), "--out", folder.File("t1"), "--threads", "1");
        var two = CliRunner.Run("search", "--manifest", folder.File("m.yaml"), "--out", folder.File("t2"), "--threads", "2");

        one.ExitCode.ShouldBe(0, one.Stderr);
        two.ExitCode.ShouldBe(0, two.Stderr);
        foreach (var file in new[] { "search.json", "archs.json", "note10.arch.json" })
        {
            File.ReadAllBytes(folder.File($"t2/{file}")).ShouldBe(File.ReadAllBytes(folder.File($"t1/{file}")), file);
        }

        var arch = File.ReadAllText(folder.File("t1/note10.arch.json"));
        var predicted = CliRunner.Run("predict", "--space", "ofa-mbv3-w1.2", "--lut", ReferenceData.PathOf("ofa-lut", "note10"), "--arch-json", arch, "--json");
        predicted.ExitCode.ShouldBe(0, predicted.Stderr);
        double.Parse(System.Text.Json.JsonDocument.Parse(predicted.Stdout).RootElement.GetProperty("latency_ms").GetRawText(), System.Globalization.CultureInfo.InvariantCulture).ShouldBeLessThanOrEqualTo(25);
    }

    [ReferenceDataFact]
    public void A_sweep_writes_the_pareto_front()
    {
        using var folder = new TempFolder();
        File.WriteAllText(folder.File("m.yaml"), Manifest(25, 40));

        var (code, _, stderr) = CliRunner.Run("search", "--manifest", folder.File("m.yaml"), "--out", folder.File("out"), "--sweep", "15:35:3");

        code.ShouldBe(0, stderr);
        var csv = File.ReadAllLines(folder.File("out/pareto.csv"));
        csv[0].ShouldBe("device,budget_ms,latency_ms,upper_ms,accuracy,arch");
        csv.Length.ShouldBeGreaterThan(1);
    }
}
