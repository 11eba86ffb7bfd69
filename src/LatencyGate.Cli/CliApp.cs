using System.CommandLine;
using System.Runtime.InteropServices;
using LatencyGate.Cli.Commands;
using LatencyGate.Diagnostics;

namespace LatencyGate.Cli;

/// <summary>Builds the command tree and maps every failure to the design's exit codes.</summary>
internal static partial class CliApp
{
    /// <summary>After Ctrl-C/SIGTERM/SIGHUP, work that does not stop by itself within this time is ended.</summary>
    private static readonly TimeSpan CancelGrace = TimeSpan.FromSeconds(2);

    /// <summary>
    /// The process entry: Ctrl-C, SIGINT, SIGTERM and SIGHUP cancel the command (exit code
    /// <see cref="ExitCode.Cancelled"/>). Commands that check the token stop at once; any other work
    /// is ended after <see cref="CancelGrace"/>, which is safe because every write is atomic.
    /// </summary>
    public static int RunProcess(string[] args)
    {
        using var cancellation = new CancellationTokenSource();
        var stdout = StandardStreams.Stdout(Console.Out);
        var stderr = StandardStreams.Stderr(Console.Error);
        void OnSignal(PosixSignalContext context)
        {
            context.Cancel = true;
            if (cancellation.IsCancellationRequested)
            {
                return;
            }

            cancellation.Cancel();
            _ = Task.Delay(CancelGrace).ContinueWith(
                _ =>
                {
                    // The writes in progress will not reach their rename: remove their temporary files.
                    Files.PendingTemps.DeleteAll();
                    stderr.WriteLine($"error {CliCodes.Cancelled}: cancelled");
                    stderr.Flush();
                    Environment.Exit((int)ExitCode.Cancelled);
                },
                TaskScheduler.Default);
        }

        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);
        // A closed terminal or a dropped SSH session: the runtime's default ended the process at once
        // (exit 129), leaving the temporary file of the write in progress (25 MB of a half ONNX file).
        using var sighup = PosixSignalRegistration.Create(PosixSignal.SIGHUP, OnSignal);
        // The live bar draws on stderr: only when stderr, too, is a terminal.
        var probe = new HostContext(stdout, stderr, Environment.GetEnvironmentVariable, interactive: !Console.IsOutputRedirected);
        return Run(args, new HostContext(stdout, stderr, Environment.GetEnvironmentVariable, interactive: !Console.IsOutputRedirected) { LiveProgress = probe.LiveProgress && !Console.IsErrorRedirected }, cancellation.Token);
    }

    public static int Run(string[] args, TextWriter stdout, TextWriter stderr) =>
        Run(args, new HostContext(stdout, stderr, Environment.GetEnvironmentVariable, interactive: !Console.IsOutputRedirected && ReferenceEquals(stdout, Console.Out)));

    public static int Run(string[] args, HostContext host, CancellationToken cancellationToken = default)
    {
        // Every message, number and date is the invariant culture's whatever LANG says: System.CommandLine
        // ships translations of its parse errors (German under LANG=de_DE.UTF-8), which mixed languages in
        // one line and escaped the rewriting below (LG0900's did-you-mean, a value quoted as a second error).
        var (culture, uiCulture) = (System.Globalization.CultureInfo.CurrentCulture, System.Globalization.CultureInfo.CurrentUICulture);
        System.Globalization.CultureInfo.CurrentCulture = System.Globalization.CultureInfo.InvariantCulture;
        System.Globalization.CultureInfo.CurrentUICulture = System.Globalization.CultureInfo.InvariantCulture;
        try
        {
            return RunInvariant(args, host, cancellationToken);
        }
        catch (Exception) when (CurrentFolderGone())
        {
            // The parser itself resolves FileInfo options (simulate --out) before any handler runs.
            return ReportCurrentFolderGone(host.Stderr);
        }
        finally
        {
            (System.Globalization.CultureInfo.CurrentCulture, System.Globalization.CultureInfo.CurrentUICulture) = (culture, uiCulture);
        }
    }

    private static int RunInvariant(string[] args, HostContext host, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(host);
        var stdout = host.Stdout;
        var stderr = host.Stderr;
        // Installed as a .NET tool it is run as `dotnet latency-gate`, whatever the executable is called.
        var root = new RootCommand("LatencyGate: keep a network's latency within budget on every target device.") { HelpName = "dotnet latency-gate" };
        foreach (var command in CommandCatalog.Create(host))
        {
            root.Subcommands.Add(command);
        }


        // A process's argv cannot hold a NUL, but a host calling in can: System.CommandLine would throw converting it to a path.
        if (Array.FindIndex(args, a => a.Contains('\0', StringComparison.Ordinal)) is var nul and >= 0)
        {
            stderr.WriteLine($"error {CliCodes.Usage}: argument {nul + 1} ('{EchoText.Cut(args[nul].Replace("\0", "\\0", StringComparison.Ordinal))}') holds a NUL character, which no path or value may contain");
            return (int)ExitCode.InvalidInput;
        }

        // No response files: '@' has no meaning of its own, so a path such as '@data.csv' is a path (and
        // '@a' naming a file that names '@a' cannot recurse until the stack overflows).
        var parse = root.Parse(args, new ParserConfiguration { ResponseFileTokenReplacer = null });
        if (UnknownCommand(root, args) is { } unknown)
        {
            stderr.WriteLine(unknown.ToString());
            stderr.WriteLine("Run 'dotnet latency-gate --help' for the commands.");
            return (int)ExitCode.InvalidInput;
        }

        // No command at all: System.CommandLine's "Required command was not provided." names none to start with.
        if (args.Length == 0)
        {
            stderr.WriteLine($"error {CliCodes.Usage}: no command given: 'dotnet latency-gate check' runs the gate on latency-gate.yaml, 'dotnet latency-gate init' writes a starter manifest");
            stderr.WriteLine("Run 'dotnet latency-gate --help' for the commands.");
            return (int)ExitCode.InvalidInput;
        }

        if (parse.Errors.Count > 0)
        {
            var usage = UsageErrors(parse, args).Select(message => Diagnostic.Error(CliCodes.Usage, EchoText.Cut(message))).ToList();
            var unwritable = JsonAsked(parse, args) ? TryWriteJsonFailure(stdout, ExitCode.InvalidInput, usage) : null;
            foreach (var diagnostic in usage.Concat(unwritable?.Diagnostics ?? []))
            {
                stderr.WriteLine(diagnostic.ToString());
            }

            // The help of the command that was mistyped, not the list of commands.
            var help = parse.CommandResult.Command is RootCommand ? "dotnet latency-gate --help" : $"dotnet latency-gate {parse.CommandResult.Command.Name} --help";
            stderr.WriteLine($"Run '{help}' for usage.");
            return (int)ExitCode.InvalidInput;
        }

        if (OptionValueIsAnOption(parse) is { } swallowed)
        {
            var unwritable = JsonAsked(parse, args) ? TryWriteJsonFailure(stdout, ExitCode.InvalidInput, [swallowed]) : null;
            stderr.WriteLine(swallowed.ToString());
            if (unwritable is not null)
            {
                stderr.WriteLine(unwritable.Diagnostics[0].ToString());
            }

            stderr.WriteLine("Run 'dotnet latency-gate --help' for usage.");
            return (int)ExitCode.InvalidInput;
        }

        try
        {
            // Signals are handled by RunProcess (or the caller's token), not by System.CommandLine.
            var configuration = new InvocationConfiguration { Output = stdout, Error = stderr, EnableDefaultExceptionHandler = false, ProcessTerminationTimeout = null };
            return parse.InvokeAsync(configuration, cancellationToken).GetAwaiter().GetResult();
        }
#pragma warning disable CA1031 // the host's last line of defence: an internal error is reported, not thrown
        catch (Exception ex)
#pragma warning restore CA1031
        {
            // A user's mistake met inside parallel work arrives wrapped; it keeps its own code.
            switch (UserErrors.Unwrap(ex))
            {
                case LatencyGateException user:
                    // --json promises one object on stdout: a mistake found while the command ran
                    // (a manifest without 'search', a bad --sweep, --threads -1) is {verdict: error}.
                    var lost = WantsJson(parse) && user.Diagnostics.All(d => d.Code != CliCodes.StdoutUnwritable)
                        ? TryWriteJsonFailure(stdout, user.ExitCode, user.Diagnostics)
                        : null;

                    foreach (var diagnostic in user.Diagnostics.Concat(lost?.Diagnostics ?? []))
                    {
                        stderr.WriteLine(diagnostic.ToString());
                    }

                    return (int)(lost?.ExitCode ?? user.ExitCode);
                case OperationCanceledException:
                    stderr.WriteLine($"error {CliCodes.Cancelled}: cancelled");
                    return (int)ExitCode.Cancelled;
                // .NET resolves a relative path against the current folder, and throws from deep inside
                // (FileNotFoundException from getcwd) when that folder has been deleted: not a bug.
                case var _ when CurrentFolderGone():
                    return ReportCurrentFolderGone(stderr);
                default:
                    stderr.WriteLine($"error {CliCodes.InternalError}: internal error: {ex.GetType().Name}: {ex.Message}");
                    stderr.WriteLine("This is a bug in LatencyGate; please report it with the command line that caused it.");
                    stderr.WriteLine(ex.ToString());
                    return (int)ExitCode.InternalError;
            }
        }
    }

    private static int ReportCurrentFolderGone(TextWriter stderr)
    {
        stderr.WriteLine($"error {CliCodes.CurrentFolderGone}: the current folder no longer exists (it was deleted or moved after this shell entered it), so relative paths cannot be resolved; cd to an existing folder, or give absolute paths");
        return (int)ExitCode.InvalidInput;
    }

    private static bool CurrentFolderGone()
    {
        try
        {
            _ = Directory.GetCurrentDirectory();
            return false;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return true;
        }
    }

    /// <summary>A usage error on a command that has --json, with --json typed: the object is still printed.</summary>
    private static bool JsonAsked(ParseResult parse, string[] args) =>
        parse.CommandResult.Command.Options.Any(o => o.Name == "--json") && args.Contains("--json", StringComparer.Ordinal);

    /// <summary>Prints {verdict: error} on stdout; the LG0860 it met instead when stdout cannot be written.</summary>
    private static LatencyGateException? TryWriteJsonFailure(TextWriter stdout, ExitCode exitCode, IReadOnlyList<Diagnostic> diagnostics)
    {
        try
        {
            stdout.WriteLine(JsonOutput.Failure(exitCode, diagnostics));
            return null;
        }
        catch (LatencyGateException unwritable)
        {
            return unwritable;
        }
    }

    private static bool WantsJson(ParseResult parse) =>
        parse.CommandResult.Command.Options.FirstOrDefault(o => o.Name == "--json") is Option<bool> json && parse.GetValue(json);

    /// <summary>
    /// LG0900 when an option's value is another option of the command (<c>fit … --out --json</c>):
    /// the parser takes <c>--json</c> as the file name, and a file named <c>--json</c> would be written.
    /// </summary>
    private static Diagnostic? OptionValueIsAnOption(ParseResult parse)
    {
        var names = parse.CommandResult.Command.Options.Concat(parse.RootCommandResult.Command.Options)
            .SelectMany(o => o.Aliases.Prepend(o.Name)).ToHashSet(StringComparer.Ordinal);
        foreach (var option in parse.CommandResult.Children.OfType<System.CommandLine.Parsing.OptionResult>())
        {
            if (option.Tokens.FirstOrDefault(t => names.Contains(t.Value)) is { } token)
            {
                return Diagnostic.Error(CliCodes.Usage, $"{option.Option.Name} is missing its value: '{token.Value}' is an option, not a value for it");
            }

            // `--out --json` on a command without --json: still an option's name, never a file or a number.
            if (option.Tokens.FirstOrDefault(t => t.Value.Length > 2 && t.Value.StartsWith("--", StringComparison.Ordinal) && char.IsAsciiLetter(t.Value[2])) is { } flag)
            {
                return Diagnostic.Error(CliCodes.Usage, $"{option.Option.Name} is missing its value: '{EchoText.Cut(flag.Value)}' looks like an option, not a value for it");
            }
        }

        return null;
    }

    /// <summary>
    /// The parser's messages, each with what to do: a required option says what it takes (its --help
    /// line), an unknown option names the closest one the command has, and the value typed after an
    /// unknown option is not reported again as an unknown argument of its own.
    /// </summary>
    private static IEnumerable<string> UsageErrors(ParseResult parse, string[] args)
    {
        var command = parse.CommandResult.Command;
        var options = command.Options.Where(o => !o.Hidden).ToArray();
        var unknownOptions = new HashSet<string>(StringComparer.Ordinal);
        foreach (var error in parse.Errors)
        {
            var message = error.Message;
            if (RequiredOption().Match(message) is { Success: true } required
                && options.FirstOrDefault(o => o.Name == required.Groups[1].Value) is { Description: { Length: > 0 } description })
            {
                yield return $"{message} {required.Groups[1].Value}: {description}";
                continue;
            }

            // "Cannot parse argument 'ten' for option '--runs' as expected type 'System.Int32'": the .NET type
            // means nothing to a user; the kind of value does.
            if (UnparsableValue().Match(message) is { Success: true } unparsable)
            {
                var type = unparsable.Groups[3].Value;
                var kind = type.Contains("UInt", StringComparison.Ordinal) ? "a whole number ≥ 0"
                    : type.Contains("Int", StringComparison.Ordinal) ? "a whole number"
                    : type.Contains("Double", StringComparison.Ordinal) || type.Contains("Single", StringComparison.Ordinal) ? "a number (such as 0.5)"
                    : null;
                if (kind is not null)
                {
                    yield return $"{unparsable.Groups[2].Value} takes {kind}; got '{unparsable.Groups[1].Value}'";
                    continue;
                }
            }

            if (UnrecognizedToken().Match(message) is { Success: true } unrecognized)
            {
                var token = unrecognized.Groups[1].Value;
                if (token.StartsWith("--", StringComparison.Ordinal) && token.Length > 2)
                {
                    unknownOptions.Add(token);
                    var names = options.Select(o => o.Name).Where(n => n.StartsWith("--", StringComparison.Ordinal)).ToArray();
                    var hint = DidYouMean.Closest(token.Split('=')[0], names) is { } closest
                        ? $" Did you mean '{closest}'?"
                        : string.Empty;
                    yield return $"{message}{hint}";
                    continue;
                }

                var at = Array.IndexOf(args, token);
                if (at > 0 && unknownOptions.Contains(args[at - 1]))
                {
                    continue;
                }
            }

            yield return message;
        }
    }

    [System.Text.RegularExpressions.GeneratedRegex("^Option '(--[a-z0-9-]+)' is required\\.$")]
    private static partial System.Text.RegularExpressions.Regex RequiredOption();

    [System.Text.RegularExpressions.GeneratedRegex("^Cannot parse argument '(.*)' for option '(--[a-z0-9-]+)' as expected type '(.*)'\\.$", System.Text.RegularExpressions.RegexOptions.Singleline)]
    private static partial System.Text.RegularExpressions.Regex UnparsableValue();

    [System.Text.RegularExpressions.GeneratedRegex("^Unrecognized command or argument '(.*)'\\.$", System.Text.RegularExpressions.RegexOptions.Singleline)]
    private static partial System.Text.RegularExpressions.Regex UnrecognizedToken();

    /// <summary>
    /// LG0911 when the first word is not an option and names no command (a mistyped command), with
    /// the closest command's name; null otherwise.
    /// </summary>
    private static Diagnostic? UnknownCommand(RootCommand root, string[] args)
    {
        if (args.Length == 0 || args[0].StartsWith('-') || args[0].Length == 0)
        {
            return null;
        }

        var names = root.Subcommands.SelectMany(c => c.Aliases.Prepend(c.Name)).ToArray();
        if (names.Contains(args[0], StringComparer.Ordinal))
        {
            return null;
        }

        var commands = root.Subcommands.Select(c => c.Name).ToArray();
        var hint = DidYouMean.Closest(args[0], commands) is { } closest
            ? $"; did you mean '{closest}'?"
            : $"; expected one of {string.Join(", ", commands)}";
        return Diagnostic.Error(CliCodes.UnknownCommand, $"'{EchoText.Cut(args[0])}' is not a command{hint}");
    }
}
