using System.Text.Json;
using Shouldly;
using Xunit;

namespace LatencyGate.Tests;

/// <summary>
/// LG0206 end to end: a manifest <c>finetune</c> asking for more shots than its measurements hold
/// is gated with every measurement as a shot, and a warning at the <c>shots</c> value says that nothing
/// was held out (also when the adaptation comes from the cache).
/// </summary>
public sealed class ShotsCappedEndToEndTests
{
    private const string Space = "ofa-mbv3-w1.2";

    [Theory]
    [InlineData(500, true)]
    [InlineData(10, false)]
    public void Finetune_with_more_shots_than_measurements_warns_at_the_shots_value(int shots, bool warns)
    {
        using var folder = new TempFolder();
        var (code, archs, stderr) = CliRunner.Run("sample", "--space", Space, "--count", "24", "--seed", "3", "--resolutions", "192");
        code.ShouldBe(0, stderr);
        File.WriteAllText(folder.File("archs.jsonl"), archs);
        var simulate = CliRunner.Run("simulate", "--device", "sim-edge-npu", "--space", Space, "--archs", folder.File("archs.jsonl"), "--seed", "5", "--out", folder.File("target.csv"));
        simulate.ExitCode.ShouldBe(0, simulate.Stderr);
        File.WriteAllText(folder.File("latency-gate.yaml"), $$"""
            version: 1
            space: {{Space}}
            model:
              arch: 'r192-d23232-k35|553|53|553|53-e34|443|43|443|44'
            devices:
              - name: npu
                budget_ms: 1000
                predictor:
                  finetune: {base: builtin:note10, measurements: target.csv, strategy: affine, shots: {{shots}}}
            outputs:
              dir: reports
            """);

        var check = CliRunner.Run("check", "--manifest", folder.File("latency-gate.yaml"), "--json");
        var cached = CliRunner.Run("check", "--manifest", folder.File("latency-gate.yaml"));

        check.ExitCode.ShouldBe(0, check.Stderr);
        cached.ExitCode.ShouldBe(0, cached.Stderr);
        var found = JsonDocument.Parse(check.Stdout).RootElement.GetProperty("diagnostics").EnumerateArray()
            .Where(d => d.GetProperty("code").GetString() == "LG0206").ToArray();
        if (!warns)
        {
            found.ShouldBeEmpty();
            cached.Stderr.ShouldNotContain("LG0206");
            return;
        }

        var diagnostic = found.ShouldHaveSingleItem();
        diagnostic.GetProperty("severity").GetString().ShouldBe("warning");
        diagnostic.GetProperty("message").GetString()!.ShouldContain("500 shots asked for, but the measurements hold 24 distinct archs");
        var location = diagnostic.GetProperty("location");
        location.GetProperty("file").GetString()!.ShouldEndWith("latency-gate.yaml");
        location.GetProperty("line").GetInt32().ShouldBe(9);
        cached.Stderr.ShouldContain("warning LG0206: ");
    }
}
