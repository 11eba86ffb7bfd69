using System.Globalization;
using LatencyGate.Randomness;
using LatencyGate.Spaces.FbNet;
using LatencyGate.Statistics;
using Shouldly;
using Xunit;

namespace LatencyGate.Tests;

/// <summary><c>fit --space fbnet --base SOURCES.csv</c>: adapting source devices' measurements to a new device.</summary>
public sealed class SourceTransferFitCommandTests
{
    [Fact]
    public void Fit_fbnet_from_a_sources_csv_predicts_every_arch_and_ranks_the_target()
    {
        using var folder = new TempFolder();
        var random = new SeededRandom(8);
        var archs = Enumerable.Range(0, 80).Select(_ => FbNetArch.Random(random)).ToArray();
        double Cpu(FbNetArch a) => 1 + FbNetFeatures.Work(a)[0];
        double Gpu(FbNetArch a) => 2 + (0.3 * FbNetFeatures.Work(a)[5]);
        double Target(FbNetArch a) => (0.5 * Cpu(a)) + (2 * Gpu(a));
        var sources = folder.File("sources.csv");
        File.WriteAllLines(sources, ["arch_str,cpu_ms,gpu_ms", .. archs.Select(a => FormattableString.Invariant($"{a},{Cpu(a)},{Gpu(a)}"))]);
        var target = folder.File("target.csv");
        File.WriteAllLines(target, ["arch,latency_ms", .. archs.Take(15).Select(a => FormattableString.Invariant($"{a},{Target(a)}"))]);
        var output = folder.File("predicted.csv");

        var result = CliRunner.Run("fit", "--space", "fbnet", "--data", target, "--base", sources, "--columns", "cpu_ms,gpu_ms", "--shots", "10", "--out", output);

        result.ExitCode.ShouldBe(0, result.Stderr);
        result.Stdout.ShouldContain("Spearman");
        var lines = File.ReadAllLines(output);
        lines[0].ShouldBe("arch,predicted_ms");
        lines.Length.ShouldBe(81);
        var predicted = lines.Skip(1).Select(l => double.Parse(l[(l.LastIndexOf(',') + 1)..], CultureInfo.InvariantCulture)).ToArray();
        lines.Skip(1).Select(l => l[..l.LastIndexOf(',')]).ShouldBe(archs.Select(a => a.ToString()));
        RankCorrelation.Spearman(predicted, [.. archs.Select(Target)]).ShouldBeGreaterThan(0.95);
    }

    [Theory]
    [InlineData("fbnet")]
    [InlineData("nasbench201")]
    public void Fit_fbnet_without_a_sources_csv_is_LG0727(string space)
    {
        using var folder = new TempFolder();
        var result = CliRunner.Run("fit", "--space", space, "--data", folder.File("t.csv"), "--out", folder.File("p.csv"));
        result.ExitCode.ShouldBe(2);
        result.Stderr.ShouldContain("LG0727");
    }
}
