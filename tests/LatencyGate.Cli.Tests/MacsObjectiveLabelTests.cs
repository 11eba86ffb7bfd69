using System.Text.Json;
using Shouldly;
using Xunit;

namespace LatencyGate.Tests;

/// <summary>Without an accuracy predictor the search's score is MACs: every output says so, none calls it an accuracy.</summary>
public sealed class MacsObjectiveLabelTests
{
    private const string Manifest = """
        version: 1
        space: ofa-mbv3-w1.2
        accuracy: macs
        search:
          generations: 5
          population: 20
          resolutions: [160, 176]
          seed: 3
        devices:
          - name: phone
            budget_ms: 20
            predictor:
              lut: builtin:note10
        """;

    [Fact]
    public void Search_labels_the_MACs_score_as_MACs_in_text_json_and_csv()
    {
        using var folder = new TempFolder();
        File.WriteAllText(folder.File("latency-gate.yaml"), Manifest);

        var (code, stdout, stderr) = CliRunner.Run("search", "--manifest", folder.File("latency-gate.yaml"), "--out", folder.File("out"));
        var sweep = CliRunner.Run("search", "--manifest", folder.File("latency-gate.yaml"), "--out", folder.File("sweep"), "--sweep", "15:20:2");

        code.ShouldBe(0, stderr);
        stdout.ShouldMatch(@"phone: MACs \d+\.\d M \(no accuracy predictor: MACs proxy");
        stdout.ShouldNotContain("accuracy 2");
        var result = JsonDocument.Parse(File.ReadAllText(folder.File("out/search.json"))).RootElement.GetProperty("results")[0];
        result.GetProperty("accuracy").ValueKind.ShouldBe(JsonValueKind.Null);
        result.GetProperty("macs_millions").GetDouble().ShouldBeInRange(100, 600);
        sweep.ExitCode.ShouldBe(0, sweep.Stderr);
        File.ReadAllLines(folder.File("sweep/pareto.csv"))[0].ShouldBe("device,budget_ms,latency_ms,upper_ms,macs_millions,arch");
    }

    [Fact]
    public void Check_json_names_the_MACs_proxy_as_the_source_and_gives_no_accuracy()
    {
        using var folder = new TempFolder();
        File.WriteAllText(folder.File("latency-gate.yaml"), Manifest);

        var (code, stdout, stderr) = CliRunner.Run("check", "--manifest", folder.File("latency-gate.yaml"), "--json");

        code.ShouldBe(0, stderr);
        var device = JsonDocument.Parse(stdout).RootElement.GetProperty("devices")[0];
        device.GetProperty("accuracy").ValueKind.ShouldBe(JsonValueKind.Null);
        device.GetProperty("accuracy_source").GetString()!.ShouldStartWith("MACs proxy (ofa-mbv3-w1.2; score = MACs in millions, not an accuracy)");
    }
}
