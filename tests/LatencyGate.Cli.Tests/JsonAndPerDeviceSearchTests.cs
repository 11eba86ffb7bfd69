using System.Text.Json;
using Shouldly;
using Xunit;

namespace LatencyGate.Tests;

/// <summary>
/// <c>--json</c> on check, search and fit (one JSON object on stdout, nothing else), and search's
/// per-device results: a device that cannot fit is failed while the others get their results, and
/// search chooses what check chooses.
/// </summary>
public sealed class JsonAndPerDeviceSearchTests
{
    private static string Manifest(double tightBudget, string warnMargin = "10%") => $"""
        version: 1
        space: ofa-mbv3-w1.2
        accuracy:
          predictor: builtin:ofa-w1.2
        search:
          generations: 20
          seed: 5
        defaults:
          warn_margin: {warnMargin}
        devices:
          - name: roomy
            budget_ms: 25
            predictor:
              lut: builtin:note10
          - name: tight
            budget_ms: {tightBudget.ToString(System.Globalization.CultureInfo.InvariantCulture)}
            predictor:
              lut: builtin:note10
        """;

    [Fact]
    public void Search_writes_the_devices_that_fit_and_fails_the_one_that_cannot()
    {
        using var folder = new TempFolder();
        File.WriteAllText(folder.File("latency-gate.yaml"), Manifest(5));

        var (code, stdout, stderr) = CliRunner.Run("search", "--manifest", folder.File("latency-gate.yaml"), "--out", folder.File("out"));

        code.ShouldBe(1, stderr);
        stdout.ShouldContain("roomy: accuracy ");
        stdout.ShouldContain("tight: FAIL, no sub-network fits the 5.00 ms budget");
        stderr.ShouldContain("latency-gate.yaml(16,16): error LG0300: no sub-network fits the 5 ms budget on 'tight': the smallest latency reachable is 9.");
        File.Exists(folder.File("out/roomy.arch.json")).ShouldBeTrue();
        File.Exists(folder.File("out/tight.arch.json")).ShouldBeFalse();
        var json = JsonDocument.Parse(File.ReadAllText(folder.File("out/search.json"))).RootElement;
        json.GetProperty("results").EnumerateArray().Select(r => r.GetProperty("target").GetString()).ShouldBe(["roomy"]);
        json.GetProperty("failed").EnumerateArray().Single().GetProperty("device").GetString().ShouldBe("tight");
    }

    [Fact]
    public void Search_and_check_choose_the_same_sub_network()
    {
        using var folder = new TempFolder();
        File.WriteAllText(folder.File("latency-gate.yaml"), Manifest(20));

        var search = CliRunner.Run("search", "--manifest", folder.File("latency-gate.yaml"), "--out", folder.File("out"), "--json");
        var check = CliRunner.Run("check", "--manifest", folder.File("latency-gate.yaml"), "--json");

        search.ExitCode.ShouldBe(0, search.Stderr);
        check.ExitCode.ShouldBe(0, check.Stderr);
        var searched = JsonDocument.Parse(search.Stdout).RootElement.GetProperty("search").GetProperty("results").EnumerateArray()
            .ToDictionary(r => r.GetProperty("target").GetString()!, r => r.GetProperty("arch_key").GetString());
        var checkedArchs = JsonDocument.Parse(check.Stdout).RootElement.GetProperty("devices").EnumerateArray()
            .ToDictionary(d => d.GetProperty("name").GetString()!, d => d.GetProperty("arch_key").GetString());
        searched.ShouldBe(checkedArchs);
    }

    [Fact]
    public void Check_json_is_one_object_on_stdout_also_for_bad_input()
    {
        using var folder = new TempFolder();
        File.WriteAllText(folder.File("latency-gate.yaml"), Manifest(20).Replace("builtin:note10", "builtin:nope", StringComparison.Ordinal));

        var (code, stdout, stderr) = CliRunner.Run("check", "--manifest", folder.File("latency-gate.yaml"), "--json");

        code.ShouldBe(2);
        var root = JsonDocument.Parse(stdout).RootElement;
        root.GetProperty("verdict").GetString().ShouldBe("error");
        root.GetProperty("diagnostics").EnumerateArray().ShouldAllBe(d => d.GetProperty("code").GetString() == "LG0420");
        stderr.ShouldContain("error LG0420");
    }

    [Fact]
    public void Fit_json_reports_the_file_the_data_and_the_metrics()
    {
        using var folder = new TempFolder();
        CliRunner.Run("simulate", "--device", "sim-phone-mid", "--space", "ofa-mbv3-w1.2", "--count", "60", "--out", folder.File("m.csv")).ExitCode.ShouldBe(0);

        var (code, stdout, stderr) = CliRunner.Run("fit", "--space", "ofa-mbv3-w1.2", "--data", folder.File("m.csv"), "--model", "additive", "--out", folder.File("p.safetensors"), "--json");

        code.ShouldBe(0, stderr);
        var root = JsonDocument.Parse(stdout).RootElement;
        root.GetProperty("kind").GetString().ShouldBe("fit");
        root.GetProperty("rows").GetInt32().ShouldBe(60);
        root.GetProperty("out").GetString().ShouldBe(folder.File("p.safetensors"));
        root.GetProperty("metrics").GetProperty("train_count").GetDouble().ShouldBeGreaterThan(0);
        File.Exists(folder.File("p.safetensors")).ShouldBeTrue();
    }
}
