using Shouldly;
using Xunit;

namespace LatencyGate.Tests;

/// <summary>
/// Issue 12 item 16: <c>evaluate</c> takes the space from lookup tables as it does from predictor
/// files, and <c>accuracy</c> refuses OFA's w1.2 predictor for another space instead of scoring silently.
/// </summary>
public sealed class SpaceFromPredictorTests
{
    [Fact]
    public void Evaluate_without_space_takes_it_from_w12_lookup_tables_a_folder_or_builtin()
    {
        using var folder = new TempFolder();
        var archs = folder.File("archs.txt");
        var (code, stdout, stderr) = CliRunner.Run("sample", "--space", "ofa-mbv3-w1.2", "--count", "20", "--seed", "2", "--resolutions", "160,192,224");
        code.ShouldBe(0, stderr);
        File.WriteAllText(archs, stdout);
        CliRunner.Run("simulate", "--device", "sim-phone-mid", "--space", "ofa-mbv3-w1.2", "--archs", archs, "--out", folder.File("m.csv"), "--lut-out", folder.File("luts"), "--lut-resolutions", "160,192,224").ExitCode.ShouldBe(0);

        foreach (var tables in new[] { folder.File("luts"), "builtin:note10" })
        {
            var result = CliRunner.Run("evaluate", "--predictor", tables, "--data", folder.File("m.csv"));
            result.ExitCode.ShouldBe(0, result.Stderr);
            result.Stdout.ShouldContain("Spearman");
        }

        // Asked for the other space, the tables say which one they are.
        var wrong = CliRunner.Run("evaluate", "--predictor", folder.File("luts"), "--data", folder.File("m.csv"), "--space", "ofa-mbv3-w1.0");
        wrong.ExitCode.ShouldBe(2);
        wrong.Stderr.ShouldContain("error LG0029");
        wrong.Stderr.ShouldContain("they look like tables of ofa-mbv3-w1.2 (set space: ofa-mbv3-w1.2, or --space ofa-mbv3-w1.2)");
    }

    [Fact]
    public void Accuracy_refuses_the_w12_predictor_for_the_w10_space()
    {
        var result = CliRunner.Run("accuracy", "--space", "ofa-mbv3-w1.0", "--predictor", "builtin:ofa-w1.2", "--arch-json", """{"ks": [3,3,3,3,3,3,3,3,3,3,3,3,3,3,3,3,3,3,3,3], "e": [3,3,3,3,3,3,3,3,3,3,3,3,3,3,3,3,3,3,3,3], "d": [2,2,2,2,2], "r": [160]}""");
        result.ExitCode.ShouldBe(2);
        result.Stderr.ShouldContain("error LG0422: 'builtin:ofa-w1.2' (accuracy predictor) is for space ofa-mbv3-w1.2, not ofa-mbv3-w1.0");
        result.Stdout.ShouldBeEmpty("no accuracy is printed");
    }
}
