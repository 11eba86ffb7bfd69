using Shouldly;
using Xunit;

namespace LatencyGate.Tests;

/// <summary>The command line itself: a mistyped command and the usage line of the help.</summary>
public sealed class CommandLineUsageTests
{
    [Theory]
    [InlineData("chekc", "check")]
    [InlineData("serach", "search")]
    [InlineData("fit-generalised", "fit-generalized")]
    [InlineData("monotonic", "monotonicity")]
    public void A_mistyped_command_gets_LG0911_with_the_closest_command_and_exit_2(string typed, string meant)
    {
        var result = CliRunner.Run(typed, "--manifest", "x.yaml");
        result.ExitCode.ShouldBe(2);
        result.Stderr.ShouldContain($"error LG0911: '{typed}' is not a command; did you mean '{meant}'?");
        result.Stderr.ShouldNotContain("LG0900");
    }

    [Fact]
    public void A_word_close_to_no_command_lists_the_commands()
    {
        var result = CliRunner.Run("frobnicate");
        result.ExitCode.ShouldBe(2);
        result.Stderr.ShouldContain("error LG0911: 'frobnicate' is not a command; expected one of check, search, init,");
    }

    [Fact]
    public void Options_and_known_commands_are_not_taken_for_a_mistyped_command()
    {
        CliRunner.Run("--version").Stderr.ShouldNotContain("LG0911");
        CliRunner.Run("version").ExitCode.ShouldBe(0);
        var unknownOption = CliRunner.Run("check", "--nope");
        unknownOption.ExitCode.ShouldBe(2);
        unknownOption.Stderr.ShouldContain("LG0900");
        unknownOption.Stderr.ShouldNotContain("LG0911");
    }

    [Theory]
    [InlineData]
    [InlineData("check")]
    [InlineData("fit")]
    public void The_usage_line_names_the_tool_as_a_user_runs_it(params string[] command)
    {
        var help = CliRunner.Run([.. command, "--help"]).Stdout;
        help.ShouldContain($"Usage:\n  dotnet latency-gate {(command.Length == 0 ? "[command]" : command[0])}");
        help.ShouldNotContain("dotnet-latency-gate");
    }
}
