using System.Text.RegularExpressions;
using Shouldly;
using Xunit;

namespace LatencyGate.Tests;

/// <summary>docs/cli.md agrees with the real --help: every command and every flag, both ways.</summary>
public sealed partial class CliDocsTests
{
    [Fact]
    public void Every_command_and_flag_in_help_is_in_docs_cli_md_and_the_reverse()
    {
        var docs = File.ReadAllText(Path.Combine(ReferenceData.RepositoryRoot, "docs", "cli.md"));
        var root = CliRunner.Run("--help");
        var commands = CommandLine().Matches(root.Stdout[root.Stdout.IndexOf("Commands:", StringComparison.Ordinal)..]).Select(m => m.Groups[1].Value).ToArray();
        commands.ShouldNotBeEmpty();
        var problems = new List<string>();
        foreach (var command in commands)
        {
            var rows = docs.Split('\n').Where(l => l.StartsWith($"| `{command} ", StringComparison.Ordinal) || l.StartsWith($"| `{command}`", StringComparison.Ordinal)).ToArray();
            if (rows.Length == 0)
            {
                problems.Add($"docs/cli.md has no row for '{command}'");
                continue;
            }

            var help = CliRunner.Run(command, "--help").Stdout;
            var inHelp = Flag().Matches(help).Select(m => m.Value).Where(f => f != "--help").ToHashSet(StringComparer.Ordinal);
            var documented = rows.SelectMany(r => Flag().Matches(r).Select(m => m.Value)).ToHashSet(StringComparer.Ordinal);
            problems.AddRange(inHelp.Except(documented).Select(f => $"'{command} {f}' is in --help but not in docs/cli.md"));
            problems.AddRange(documented.Except(inHelp).Select(f => $"'{command} {f}' is in docs/cli.md but not in --help"));

            // Short aliases (`-m, --manifest`) are named in the row too, written as `-m`.
            problems.AddRange(ShortAlias().Matches(help).Select(m => m.Groups[1].Value).Where(a => a != "-h" && !rows.Any(r => r.Contains($"`{a}`", StringComparison.Ordinal)))
                .Select(a => $"'{command} {a}' is in --help but not in docs/cli.md"));
        }

        // The root's own options (--version) are named too.
        var rootOptions = root.Stdout[..root.Stdout.IndexOf("Commands:", StringComparison.Ordinal)];
        problems.AddRange(Flag().Matches(rootOptions).Select(m => m.Value).Where(f => f != "--help" && !docs.Contains($"dotnet latency-gate {f}`", StringComparison.Ordinal))
            .Select(f => $"'dotnet latency-gate {f}' is in --help but not in docs/cli.md"));

        // The reverse for commands: a row for a command the tool does not have (renamed, removed).
        var documentedCommands = docs.Split('\n').Select(l => DocsCommandRow().Match(l)).Where(m => m.Success).Select(m => m.Groups[1].Value).Distinct(StringComparer.Ordinal);
        problems.AddRange(documentedCommands.Except(commands, StringComparer.Ordinal).Select(c => $"docs/cli.md has a row for '{c}', which is not a command"));
        problems.ShouldBeEmpty();
    }

    [Fact]
    public void Measure_help_and_docs_name_every_runtime_the_tool_registers()
    {
        var names = LatencyGate.Cli.MeasuringRuntimes.Create().Names;
        names.ShouldContain("onnxruntime");
        names.ShouldContain("torch");
        var help = CliRunner.Run("measure", "--help").Stdout;
        var docs = File.ReadAllText(Path.Combine(ReferenceData.RepositoryRoot, "docs", "cli.md"));
        var row = docs.Split('\n').Single(l => l.StartsWith("| `measure ", StringComparison.Ordinal));
        foreach (var name in names)
        {
            help.ShouldContain(name, Case.Sensitive, $"measure --help does not name the runtime '{name}'");
            row.ShouldContain($"`{name}`", Case.Sensitive, $"docs/cli.md's measure row does not name the runtime '{name}'");
        }
    }

    /// <summary>The tool carries native libraries for its platforms only (the package size the README states depends on it).</summary>
    [Fact]
    public void The_tool_carries_natives_for_linux_x64_osx_arm64_and_win_x64_only()
    {
        var deps = Path.Combine(Path.GetDirectoryName(typeof(LatencyGate.Cli.CliApp).Assembly.Location)!, "LatencyGate.Cli.deps.json");
        using var json = System.Text.Json.JsonDocument.Parse(File.ReadAllText(deps));
        var assets = json.RootElement.GetProperty("targets").EnumerateObject().First().Value.EnumerateObject()
            .Where(l => l.Value.TryGetProperty("runtimeTargets", out _))
            .SelectMany(l => l.Value.GetProperty("runtimeTargets").EnumerateObject().Select(a => (Path: a.Name, Rid: a.Value.GetProperty("rid").GetString()!)))
            .ToArray();
        assets.ShouldNotBeEmpty();
        assets.Select(a => a.Rid).Distinct().Order(StringComparer.Ordinal).ShouldBe(["linux-x64", "osx", "osx-arm64", "win-x64"]);
        assets.ShouldNotContain(a => a.Path.EndsWith(".lib", StringComparison.Ordinal));
        assets.ShouldContain(a => a.Rid == "linux-x64" && a.Path.EndsWith("libonnxruntime.so", StringComparison.Ordinal));
        assets.ShouldContain(a => a.Rid == "linux-x64" && a.Path.EndsWith("libSkiaSharp.so", StringComparison.Ordinal));
    }

    [GeneratedRegex(@"^\s{2}([a-z][a-z-]*)\s", RegexOptions.Multiline)]
    private static partial Regex CommandLine();

    [GeneratedRegex(@"^\| `([a-z][a-z-]*)[ `]")]
    private static partial Regex DocsCommandRow();

    [GeneratedRegex(@"^\s+(-[a-z]), --", RegexOptions.Multiline)]
    private static partial Regex ShortAlias();

    [GeneratedRegex(@"(?<![\w-])--[a-z][a-z0-9-]*")]
    private static partial Regex Flag();
}
