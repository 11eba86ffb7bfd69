using System.CommandLine;

namespace LatencyGate.Cli.Commands;

/// <summary>Every subcommand of <c>dotnet latency-gate</c>; each lives in its own file.</summary>
internal static class CommandCatalog
{
    public static IEnumerable<Command> Create(HostContext host)
    {
        var stdout = host.Stdout;
        var stderr = host.Stderr;
        yield return VersionCommand.Create(stdout);
        yield return FitCommand.Create(host);
        yield return EvaluateCommand.Create(stdout);
        yield return AccuracyCommand.Create(stdout, stderr);
        yield return PredictCommand.Create(stdout);
        yield return ExplainCommand.Create(stdout);
        yield return ExportCommand.Create(stdout);
        yield return SampleCommand.Create(stdout);
        yield return SimulateCommand.Create(stdout);
        yield return FitGeneralizedCommand.Create(stdout);
        yield return MonotonicityCommand.Create(stdout, stderr);
        yield return InitCommand.Create(stdout);
        yield return DoctorCommand.Create(stdout);
        yield return ProfilesCommand.Create(stdout);
    }
}
