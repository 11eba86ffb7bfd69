using LatencyGate.Randomness;
using LatencyGate.Spaces.FbNet;
using Shouldly;
using Xunit;

namespace LatencyGate.Tests;

/// <summary><c>sample --data</c>: choosing which of a CSV's archs to measure from the devices already measured.</summary>
public sealed class SampleCommandTests
{
    [Fact]
    public void Sample_from_a_csv_prints_distinct_archs_of_that_csv_and_is_seeded()
    {
        using var folder = new TempFolder();
        var csv = Path.Combine(folder.Path, "fbnet.csv");
        var random = new SeededRandom(3);
        var lines = new List<string> { "arch_str,cpu_ms,gpu_ms" };
        var archs = new List<string>();
        for (var i = 0; i < 60; i++)
        {
            var arch = FbNetArch.Random(random);
            var work = FbNetFeatures.Work(arch);
            archs.Add(arch.ToString());
            lines.Add(FormattableString.Invariant($"{arch},{1 + work[0]},{2 + (0.3 * work[5])}"));
        }

        File.WriteAllLines(csv, lines);
        var first = CliRunner.Run("sample", "--data", csv, "--columns", "cpu_ms,gpu_ms", "--count", "8", "--seed", "4");
        first.ExitCode.ShouldBe(0, first.Stderr);
        var chosen = first.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        chosen.Length.ShouldBe(8);
        chosen.Distinct().Count().ShouldBe(8);
        chosen.ShouldAllBe(a => archs.Contains(a));
        CliRunner.Run("sample", "--data", csv, "--columns", "cpu_ms,gpu_ms", "--count", "8", "--seed", "4").Stdout.ShouldBe(first.Stdout);
    }

    [Theory]
    [InlineData("--count", "3")]
    [InlineData("--count", "3", "--columns", "a")]
    [InlineData("--count", "3", "--data", "x.csv")]
    public void Sample_options_that_do_not_fit_together_are_LG0726(params string[] args)
    {
        var result = CliRunner.Run(["sample", .. args]);
        result.ExitCode.ShouldBe(2);
        result.Stderr.ShouldContain("LG0726");
    }
}
