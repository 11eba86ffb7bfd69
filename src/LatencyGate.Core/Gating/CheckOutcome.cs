using LatencyGate.Diagnostics;

namespace LatencyGate.Gating;

/// <summary>
/// What the gate returns to a host: the diagnostics to print (errors for broken budgets carry the
/// manifest location of the device's budget), the exit code, the report files written, every
/// input file the run read (for incremental builds), a short human summary and each device's verdict.
/// </summary>
/// <param name="ExitCode">0 pass, 1 a budget is broken, 2 bad input, 3 internal error, 130 cancelled.</param>
/// <param name="Diagnostics">Errors and warnings, in the compiler form <c>FILE(LINE,COL): error LGnnnn: message</c>.</param>
/// <param name="ReportFiles">The report files written.</param>
/// <param name="InputFiles">Every file the run read, for incremental builds.</param>
/// <param name="SummaryLines">A short human summary.</param>
public sealed record CheckOutcome(
    ExitCode ExitCode,
    IReadOnlyList<Diagnostic> Diagnostics,
    IReadOnlyList<string> ReportFiles,
    IReadOnlyList<string> InputFiles,
    IReadOnlyList<string> SummaryLines)
{
    /// <summary>The full result (null when the manifest or a predictor could not be loaded); hosts render it.</summary>
    internal GateResult? Result { get; init; }

    /// <summary>Each checked device's verdict, in manifest order (empty when the manifest or a predictor could not be loaded).</summary>
    public IReadOnlyList<DeviceVerdict> Devices => Result is { } r ? [.. r.Devices.Select(DeviceVerdict.Of)] : [];
}
