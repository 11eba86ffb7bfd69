using System.Text.RegularExpressions;
using Shouldly;
using Xunit;

namespace LatencyGate.Tests;

/// <summary>
/// evaluate says what its figures mean and what to do next: "MAPE 57.62 %, Spearman 0.8827" alone left
/// a newcomer to guess whether the predictor is usable. The command it suggests runs as printed.
/// </summary>
public sealed partial class EvaluateReadingTests
{
    [Fact]
    public void Evaluate_reads_its_figures_and_the_next_step_it_prints_runs()
    {
        using var fleet = new TempFolder("examples/fleet");

        // phone-big's tables against edge-npu's 80 measurements: another device, ranked below 0.9.
        var evaluate = CliRunner.Run("evaluate", "--predictor", fleet.File("luts/phone-big"), "--data", fleet.File("data/edge-npu.csv"), "--space", "ofa-mbv3-w1.2");

        evaluate.ExitCode.ShouldBe(0, evaluate.Stderr);
        var reading = evaluate.Stdout.Split('\n').Single(l => l.StartsWith("reading: ", StringComparison.Ordinal));
        reading.ShouldStartWith("reading: it ranks these archs poorly (Spearman below 0.9): adapt it");
        var next = Suggested().Match(reading).Groups[1].Value;
        next.ShouldContain("--shots 20");
        var args = next.Split(' ').Select(a => a == "adapted.safetensors" ? fleet.File("adapted.safetensors") : a).ToArray();
        var fit = CliRunner.Run(args);
        fit.ExitCode.ShouldBe(0, fit.Stderr);

        // The adapted file is no base (LG0207): its reading does not offer it as one.
        var again = CliRunner.Run("evaluate", "--predictor", fleet.File("adapted.safetensors"), "--data", fleet.File("data/edge-npu.csv"));
        again.ExitCode.ShouldBe(0, again.Stderr);
        var second = again.Stdout.Split('\n').Single(l => l.StartsWith("reading: ", StringComparison.Ordinal));
        second.ShouldNotContain($"--base {fleet.File("adapted.safetensors")}");

        // JSON stays the figures alone.
        CliRunner.Run("evaluate", "--predictor", fleet.File("luts/phone-big"), "--data", fleet.File("data/edge-npu.csv"), "--space", "ofa-mbv3-w1.2", "--json").Stdout.ShouldNotContain("reading");
    }

    [Fact]
    public void Evaluate_of_the_MACs_base_takes_the_space_the_measurements_name()
    {
        // builtin:macs has no space of its own: it fell back to w1.0 and suggested a w1.0 fit for w1.2 measurements.
        using var fleet = new TempFolder("examples/fleet");
        var lines = File.ReadAllLines(fleet.File("data/edge-npu.csv"));
        var measured = fleet.File("measured.csv");
        File.WriteAllLines(measured, [lines[0] + ",space", .. lines.Skip(1).Select(l => l + ",ofa-mbv3-w1.2")]);

        var evaluate = CliRunner.Run("evaluate", "--predictor", "builtin:macs", "--data", measured);
        evaluate.ExitCode.ShouldBe(0, evaluate.Stderr);
        evaluate.Stdout.ShouldContain("fit --space ofa-mbv3-w1.2 --data");
        evaluate.Stdout.ShouldNotContain("ofa-mbv3-w1.0");

        // Without the column the documented default stays.
        CliRunner.Run("evaluate", "--predictor", "builtin:macs", "--data", fleet.File("data/edge-npu.csv")).Stdout.ShouldContain("fit --space ofa-mbv3-w1.0 --data");
    }

    // The first command in backticks, without the leading `dotnet latency-gate `.
    [GeneratedRegex("`dotnet latency-gate ([^`]+)`")]
    private static partial Regex Suggested();
}
