using System.Globalization;
using System.Text.RegularExpressions;
using Shouldly;
using Xunit;

namespace LatencyGate.Tests;

/// <summary>
/// The README's quick start (OFA's tutorial on the built-in Note10 tables and accuracy predictor), run
/// exactly as the README gives it, needing no reference data; its printed result is the README's.
/// </summary>
public sealed partial class QuickStartTests
{
    [Fact]
    public void The_readme_quick_start_prints_the_readme_result_and_beats_ofas_tutorial()
    {
        var readme = File.ReadAllText(Path.Combine(ReferenceData.RepositoryRoot, "README.md"));
        var command = QuickStartCommand().Match(readme);
        command.Success.ShouldBeTrue("README's quick start command");
        var args = command.Groups[1].Value.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        args[1].ShouldBe("--manifest");
        args[2] = Path.Combine(ReferenceData.RepositoryRoot, args[2]);

        var (code, stdout, stderr) = CliRunner.Run(args);

        code.ShouldBe(0, stderr);
        var printed = stdout.Split('\n')[0];
        readme.ShouldContain("```\n" + printed + "\n```");
        var result = ResultLine().Match(printed);
        result.Success.ShouldBeTrue(printed);
        double.Parse(result.Groups[1].Value, CultureInfo.InvariantCulture).ShouldBeGreaterThanOrEqualTo(0.8171); // OFA's tutorial
        double.Parse(result.Groups[2].Value, CultureInfo.InvariantCulture).ShouldBeLessThanOrEqualTo(25);
        File.Exists(Path.Combine(ReferenceData.RepositoryRoot, "examples", "ofa-quickstart", "latency-gate-reports", "search", "note10.arch.json")).ShouldBeTrue();
    }

    [GeneratedRegex(@"dotnet run --project src/LatencyGate\.Cli -- (search --manifest examples/ofa-quickstart/latency-gate\.yaml)\n")]
    private static partial Regex QuickStartCommand();

    [GeneratedRegex(@"^note10: accuracy (0\.\d+) .*note10 (\d+\.\d+) ms ≤ 25\.00 ms")]
    private static partial Regex ResultLine();
}
