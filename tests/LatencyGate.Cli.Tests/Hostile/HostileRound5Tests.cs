using Shouldly;
using Xunit;

namespace LatencyGate.Tests.Hostile;

/// <summary>Issue 18, round 5: what its sweep found that runs in process (the process-level classes are in <see cref="HostileProcessTests"/>).</summary>
public sealed class HostileRound5Tests
{
    [Theory]
    [InlineData("arch,latency_ms,latency_ms", "latency_ms")]
    [InlineData("arch,arch,latency_ms", "arch")]
    public void A_column_the_reader_takes_named_twice_is_LG0861_at_the_header(string header, string column)
    {
        using var fleet = new TempFolder("examples/fleet");
        var rows = File.ReadAllLines(fleet.File("data/phone-mid.csv")).Skip(1).Take(20)
            .Select(r => header.StartsWith("arch,arch", StringComparison.Ordinal) ? r[..r.LastIndexOf(',')] + "," + r : r + ",1");
        var csv = fleet.File("twice.csv");
        File.WriteAllLines(csv, [header, .. rows]);

        foreach (var args in new[]
        {
            new[] { "evaluate", "--predictor", fleet.File("predictors/edge-gpu.safetensors"), "--data", csv },
            ["fit", "--space", Hostile.Space, "--data", csv, "--out", fleet.File("o.safetensors")],
        })
        {
            var line = Hostile.Run(args).ShouldFailWith("LG0861");
            line.ShouldStartWith($"{csv}(1,1): error LG0861: the header names the column '{column}' 2 times");
        }

        File.Exists(fleet.File("o.safetensors")).ShouldBeFalse();
    }

    [Fact]
    public void Unused_columns_may_repeat()
    {
        using var fleet = new TempFolder("examples/fleet");
        var lines = File.ReadAllLines(fleet.File("data/phone-mid.csv"));
        var csv = fleet.File("notes.csv");
        File.WriteAllLines(csv, [lines[0] + ",note,note", .. lines.Skip(1).Select(l => l + ",a,b")]);
        Hostile.Run("evaluate", "--predictor", fleet.File("predictors/edge-gpu.safetensors"), "--data", csv).ExitCode.ShouldBe(0);
    }
}
