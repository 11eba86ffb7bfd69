using System.CommandLine;
using LatencyGate.Cli.Commands;
using LatencyGate.Diagnostics;

namespace LatencyGate.Cli;

/// <summary>Builds the command tree and maps every failure to the design's exit codes.</summary>
internal static class CliApp
{
    public static int Run(string[] args, TextWriter stdout, TextWriter stderr) =>
        Run(args, new HostContext(stdout, stderr, Environment.GetEnvironmentVariable, interactive: !Console.IsOutputRedirected && ReferenceEquals(stdout, Console.Out)));

    public static int Run(string[] args, HostContext host)
    {
        ArgumentNullException.ThrowIfNull(host);
        var stdout = host.Stdout;
        var stderr = host.Stderr;
        var root = new RootCommand("LatencyGate: keep a network's latency within budget on every target device.");
        foreach (var command in CommandCatalog.Create(stdout, stderr))
        {
            root.Subcommands.Add(command);
        }

        root.Subcommands.Add(CheckCommand.Create(host));
        root.Subcommands.Add(SearchCommand.Create(host));
        root.Subcommands.Add(MeasureCommand.Create(host));

        var parse = root.Parse(args);
        if (parse.Errors.Count > 0)
        {
            foreach (var error in parse.Errors)
            {
                stderr.WriteLine($"error LG0900: {error.Message}");
            }

            stderr.WriteLine("Run 'dotnet latency-gate --help' for usage.");
            return (int)ExitCode.InvalidInput;
        }

        try
        {
            return parse.Invoke(new InvocationConfiguration { Output = stdout, Error = stderr, EnableDefaultExceptionHandler = false });
        }
        catch (LatencyGateException ex)
        {
            foreach (var diagnostic in ex.Diagnostics)
            {
                stderr.WriteLine(diagnostic.ToString());
            }

            return (int)ex.ExitCode;
        }
        catch (OperationCanceledException)
        {
            stderr.WriteLine("error LG0901: cancelled");
            return (int)ExitCode.InternalError;
        }
#pragma warning disable CA1031 // the host's last line of defence: an internal error is reported, not thrown
        catch (Exception ex)
#pragma warning restore CA1031
        {
            stderr.WriteLine($"error LG0999: internal error: {ex.GetType().Name}: {ex.Message}");
            stderr.WriteLine("This is a bug in LatencyGate; please report it with the command line that caused it.");
            stderr.WriteLine(ex.ToString());
            return (int)ExitCode.InternalError;
        }
    }
}
