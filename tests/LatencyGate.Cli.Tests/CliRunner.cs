using LatencyGate.Cli;

namespace LatencyGate.Tests;

/// <summary>Runs the CLI in process, capturing stdout and stderr (for every command's tests).</summary>
public static class CliRunner
{
    public static (int ExitCode, string Stdout, string Stderr) Run(params string[] args)
    {
        using var stdout = new StringWriter { NewLine = "\n" };
        using var stderr = new StringWriter { NewLine = "\n" };
        var code = CliApp.Run(args, stdout, stderr);
        return (code, stdout.ToString(), stderr.ToString());
    }

    /// <summary>Runs with a given environment (CI, GITHUB_ACTIONS, GITHUB_STEP_SUMMARY …) instead of the process's.</summary>
    public static (int ExitCode, string Stdout, string Stderr) RunWithEnvironment(IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        using var stdout = new StringWriter { NewLine = "\n" };
        using var stderr = new StringWriter { NewLine = "\n" };
        var host = new HostContext(stdout, stderr, name => environment.TryGetValue(name, out var v) ? v : null, interactive: false);
        var code = CliApp.Run(args, host);
        return (code, stdout.ToString(), stderr.ToString());
    }

    /// <summary>Asserts the run failed with exit code 2 and exactly one LG-coded error line, no stack trace.</summary>
    public static string ExpectSingleError(this (int ExitCode, string Stdout, string Stderr) result, string code)
    {
        if (result.ExitCode != 2)
        {
            throw new Xunit.Sdk.XunitException($"expected exit code 2, got {result.ExitCode}; stderr: {result.Stderr}");
        }

        // Progress lines (check, search, fit) are not diagnostics.
        var lines = result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(l => !l.StartsWith("progress: ", StringComparison.Ordinal)).ToArray();
        if (lines.Length != 1 || !lines[0].Contains($"error {code}: ", StringComparison.Ordinal) || result.Stderr.Contains("   at ", StringComparison.Ordinal))
        {
            throw new Xunit.Sdk.XunitException($"expected one '{code}' error line without a stack trace; stderr was:\n{result.Stderr}");
        }

        return lines[0];
    }
}
