using Shouldly;
using Xunit;

namespace LatencyGate.Tests.Hostile;

/// <summary>Round 10: the MSBuild task's measure command, XML-illegal characters in reports, the environment (culture), manifest and search extremes.</summary>
public sealed class HostileRound10Tests
{
    [Fact]
    public void Under_a_German_locale_the_command_lines_errors_stay_English_and_rewritten()
    {
        // The tool is built globalization-invariant, but DOTNET_SYSTEM_GLOBALIZATION_INVARIANT=0 (set
        // machine-wide for apps that need cultures) turns that off: under LANG=de_DE.UTF-8 System.CommandLine's
        // translations were then used, "Befehl oder Argument '--report-dirr' nicht erkannt", without the
        // did-you-mean, and the option's value reported as a second error (the rewriting matches the
        // English text). Run as its own process, since the locale is read at start-up.
        var environment = new Dictionary<string, string> { ["LANG"] = "de_DE.UTF-8", ["LC_ALL"] = "de_DE.UTF-8", ["DOTNET_SYSTEM_GLOBALIZATION_INVARIANT"] = "0" };
        var (exitCode, _, stderr, _, _) = ChildProcess.Run("dotnet", AppContext.BaseDirectory, [Path.Combine(AppContext.BaseDirectory, "LatencyGate.Cli.dll"), "check", "--manifest", "none.yaml", "--report-dirr", "o"], environment, Bound);

        exitCode.ShouldBe(2, stderr);
        stderr.ShouldBe("error LG0900: Unrecognized command or argument '--report-dirr'. Did you mean '--report-dir'?\nRun 'dotnet latency-gate check --help' for usage.\n");
    }

    [Theory]
    [InlineData("check")]
    [InlineData("simulate --device sim-edge-npu --space ofa-mbv3-w1.2 --count 2 --out s.csv")]
    [InlineData("export --arch-json {} --out x.onnx")]
    public void A_deleted_current_folder_is_LG0863_not_an_internal_error(string command)
    {
        // A shell left in a folder that was then deleted: .NET's getcwd threw FileNotFoundException
        // while resolving the default latency-gate.yaml (check) or an --out (export): LG0999, exit code 3;
        // in simulate, whose --out the parser resolves, an unhandled exception (exit code 134).
        using var dir = new TempFolder();
        var gone = dir.File("gone");
        Directory.CreateDirectory(gone);
        var cliDll = Path.Combine(AppContext.BaseDirectory, "LatencyGate.Cli.dll");
        var script = $"cd '{gone}' && rmdir '{gone}' && exec dotnet '{cliDll}' {command}";

        var (exitCode, _, stderr, _, _) = ChildProcess.Run("sh", AppContext.BaseDirectory, ["-c", script], new Dictionary<string, string>(), Bound);

        exitCode.ShouldBe(2, stderr);
        stderr.ShouldNotContain("LG0999");
        stderr.ShouldNotContain("   at ");
        stderr.ShouldContain("error LG0863: the current folder no longer exists");
    }

    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(60);
}
