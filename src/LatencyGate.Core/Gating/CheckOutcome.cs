using LatencyGate.Diagnostics;

namespace LatencyGate.Gating;

/// <summary>
/// What the gate returns to a host: the diagnostics to print (errors for broken budgets carry the
/// manifest location of the device's budget), the exit code, the report files written and every
/// input file the run read (for incremental builds).
/// </summary>
public sealed record CheckOutcome(
    ExitCode ExitCode,
    IReadOnlyList<Diagnostic> Diagnostics,
    IReadOnlyList<string> ReportFiles,
    IReadOnlyList<string> InputFiles,
    IReadOnlyList<string> SummaryLines);
