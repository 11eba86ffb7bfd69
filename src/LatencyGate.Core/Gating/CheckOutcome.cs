using LatencyGate.Diagnostics;

namespace LatencyGate.Gating;

/// <summary>
/// What the gate returns to a host: the diagnostics to print (errors for broken budgets carry the
/// manifest location of the device's budget), the exit code, the report files written, every
/// input file the run read (for incremental builds) and a short human summary.
/// </summary>
public sealed record CheckOutcome(
    ExitCode ExitCode,
    IReadOnlyList<Diagnostic> Diagnostics,
    IReadOnlyList<string> ReportFiles,
    IReadOnlyList<string> InputFiles,
    IReadOnlyList<string> SummaryLines)
{
    /// <summary>The full result (null when the manifest or a predictor could not be loaded); hosts render it.</summary>
    internal GateResult? Result { get; init; }
}
