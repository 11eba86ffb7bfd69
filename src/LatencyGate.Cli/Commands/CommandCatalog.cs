using System.CommandLine;

namespace LatencyGate.Cli.Commands;

/// <summary>Every subcommand of <c>dotnet latency-gate</c>; each lives in its own file.</summary>
internal static class CommandCatalog
{
    public static IEnumerable<Command> Create(HostContext host)
    {
        var stdout = host.Stdout;
        var stderr = host.Stderr;
        // In the order a newcomer meets them (the gate first, the version last); docs/cli.md lists them the same way.
        yield return CheckCommand.Create(host);
        yield return SearchCommand.Create(host);
        yield return InitCommand.Create(stdout);
        yield return ProfilesCommand.Create(stdout);
        yield return PredictCommand.Create(stdout);
        yield return ExplainCommand.Create(stdout);
        yield return AccuracyCommand.Create(stdout, stderr);
        yield return FitCommand.Create(host);
        yield return FitGeneralizedCommand.Create(stdout);
        yield return EvaluateCommand.Create(stdout);
        yield return SampleCommand.Create(stdout);
        yield return ExportCommand.Create(stdout);
        yield return MeasureCommand.Create(host);
        yield return SimulateCommand.Create(stdout);
        yield return MonotonicityCommand.Create(stdout, stderr);
        yield return DoctorCommand.Create(stdout);
        yield return VersionCommand.Create(stdout);
    }
}
