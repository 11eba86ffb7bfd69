using System.Text.RegularExpressions;
using Shouldly;

namespace LatencyGate.Tests.EndToEnd;

/// <summary>What the tests read from a `dotnet build -v:n` log.</summary>
internal static partial class BuildOutput
{
    public const string SkippedAsUpToDate = "Skipping target \"LatencyGate\" because all output files are up-to-date";

    /// <summary>True when the LatencyGate task ran (its first message; MSBuild prints the target's header even when it skips it).</summary>
    public static bool GateRan(BuildResult result) => result.Output.Contains("LatencyGate: checking ", StringComparison.Ordinal);

    /// <summary>MSBuild's own codes (MSB4018 crash, MSB4181 false-without-error, …): never expected.</summary>
    public static void ShouldHaveNoMsbuildNoise(BuildResult result) =>
        MsbuildCode().Matches(result.Output).Select(m => m.Value).ShouldBeEmpty(result.ToString());

    /// <summary>The distinct canonical error lines (`FILE(L,C): error LGnnnn: …`); MSBuild repeats them in its summary.</summary>
    public static IReadOnlyList<Match> LgErrors(BuildResult result) =>
        [.. LgError().Matches(result.Output).DistinctBy(m => (m.Groups["file"].Value, m.Groups["line"].Value, m.Groups["col"].Value, m.Groups["code"].Value, m.Groups["message"].Value.Trim()))];

    [GeneratedRegex(@"\bMSB\d{4}\b")]
    private static partial Regex MsbuildCode();

    [GeneratedRegex(@"^\s*(\d+>)?(?<file>[^\s:][^:\n]*?)(\((?<line>\d+)(,(?<col>\d+))?\))?\s*:\s*error (?<code>LG\d{4}): (?<message>[^\[\n]*)", RegexOptions.Multiline)]
    private static partial Regex LgError();
}
