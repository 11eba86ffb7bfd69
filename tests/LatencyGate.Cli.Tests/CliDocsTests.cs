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

    /// <summary>
    /// --help lists the commands in the order a newcomer meets them, the gate first and `version` last, as
    /// docs/cli.md's table does (it listed `version` first and `check` fifteenth).
    /// </summary>
    [Fact]
    public void Help_lists_the_commands_in_docs_cli_md_order_with_check_first()
    {
        var root = CliRunner.Run("--help").Stdout;
        var commands = CommandLine().Matches(root[root.IndexOf("Commands:", StringComparison.Ordinal)..]).Select(m => m.Groups[1].Value).ToArray();
        var docs = File.ReadAllText(Path.Combine(ReferenceData.RepositoryRoot, "docs", "cli.md"));
        var documented = docs.Split('\n').Select(l => DocsCommandRow().Match(l)).Where(m => m.Success).Select(m => m.Groups[1].Value).Distinct(StringComparer.Ordinal).ToArray();

        commands.First().ShouldBe("check");
        commands.Last().ShouldBe("version");
        commands.ShouldBe(documented);
    }

    /// <summary>
    /// A value docs/cli.md lists for an option (`--space fbnet\|nasbench201`, `--clock auto\|cpu\|wall`) is
    /// named in that command's --help too: fit's --help said "ofa-mbv3-w1.0 or ofa-mbv3-w1.2" while its
    /// docs row (and the command) took fbnet and nasbench201.
    /// </summary>
    [Fact]
    public void Every_option_value_docs_cli_md_lists_is_named_in_that_commands_help()
    {
        var docs = File.ReadAllText(Path.Combine(ReferenceData.RepositoryRoot, "docs", "cli.md"));
        var problems = new List<string>();
        var checkedValues = 0;
        foreach (var line in docs.Split('\n'))
        {
            var row = DocsCommandRow().Match(line);
            if (!row.Success)
            {
                continue;
            }

            var command = row.Groups[1].Value;
            // The first cell (its `\|` are escaped pipes, not cell borders).
            var signature = line[..line.IndexOf("` | ", StringComparison.Ordinal)];
            var help = CliRunner.Run(command, "--help").Stdout;
            foreach (Match m in DocumentedValues().Matches(signature))
            {
                // The option's own entry in --help (another option's text naming the value does not count).
                var option = m.Groups[1].Value;
                var entry = help.Split('\n').FirstOrDefault(l => Regex.IsMatch(l, $@"^\s+(?:-\w, )?{Regex.Escape(option)}\b")) ?? string.Empty;
                foreach (var value in m.Groups[2].Value.Split("\\|").Where(v => v.Any(char.IsAsciiLetterLower)))
                {
                    checkedValues++;
                    if (!entry.Contains(value, StringComparison.Ordinal))
                    {
                        problems.Add($"docs/cli.md lists '{command} {option} {value}', which the {option} entry of '{command} --help' does not name");
                    }
                }
            }
        }

        checkedValues.ShouldBeGreaterThan(15);
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

    /// <summary>
    /// A command a page shows to copy (in a code block of the README, docs/*.md or an example's README)
    /// names a real command and only flags its --help lists: docs/cli.md's table was checked, the
    /// how-tos on the other pages were not.
    /// </summary>
    [Fact]
    public void Every_command_shown_in_the_docs_uses_real_commands_and_flags()
    {
        var root = ReferenceData.RepositoryRoot;
        var pages = new[] { Path.Combine(root, "README.md") }
            .Concat(Directory.GetFiles(Path.Combine(root, "docs"), "*.md"))
            .Concat(Directory.GetFiles(Path.Combine(root, "examples"), "README.md", SearchOption.AllDirectories));
        var helps = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        var problems = new List<string>();
        var checkedLines = 0;
        foreach (var page in pages)
        {
            foreach (var block in CodeBlock().Matches(File.ReadAllText(page)).Select(m => m.Groups[1].Value))
            {
                // Join continued lines ("\" at the end) into one command.
                foreach (var line in block.Replace("\\\n", " ", StringComparison.Ordinal).Split('\n'))
                {
                    var shown = ShownCommand().Match(line);
                    if (!shown.Success)
                    {
                        continue;
                    }

                    var command = shown.Groups[1].Value;
                    if (!helps.TryGetValue(command, out var flags))
                    {
                        var help = CliRunner.Run(command, "--help");
                        flags = help.ExitCode == 0 ? [.. Flag().Matches(help.Stdout).Select(m => m.Value)] : [];
                        helps.Add(command, flags);
                    }

                    checkedLines++;
                    var where = $"{Path.GetRelativePath(root, page)}: '{line.Trim()}'";
                    if (flags.Count == 0)
                    {
                        problems.Add($"{where}: '{command}' is not a command");
                        continue;
                    }

                    problems.AddRange(Flag().Matches(line[shown.Length..]).Select(m => m.Value).Where(f => !flags.Contains(f)).Select(f => $"{where}: '{command} {f}' is not in its --help"));
                }
            }
        }

        checkedLines.ShouldBeGreaterThan(10);
        problems.ShouldBeEmpty();
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

    [GeneratedRegex("```[a-z]*\n(.*?)```", RegexOptions.Singleline)]
    private static partial Regex CodeBlock();

    // `dotnet latency-gate CMD`, `dotnet-latency-gate CMD` or `dotnet run --project … -- CMD` at a line's start.
    [GeneratedRegex(@"^\s*(?:\$\s*)?(?:dotnet latency-gate|dotnet-latency-gate|dotnet run --project \S*LatencyGate\.Cli --|\$LG|\$\{LG\}) ([a-z][a-z-]*)")]
    private static partial Regex ShownCommand();

    // `--clock auto\|cpu\|wall` in a row's signature: the option and its listed values.
    [GeneratedRegex(@"(--[a-z][a-z0-9-]*) ((?:[A-Za-z0-9:.+-]+\\\|)+[A-Za-z0-9:.+-]+)")]
    private static partial Regex DocumentedValues();

    [GeneratedRegex(@"(?<![\w-])--[a-z][a-z0-9-]*")]
    private static partial Regex Flag();
}
