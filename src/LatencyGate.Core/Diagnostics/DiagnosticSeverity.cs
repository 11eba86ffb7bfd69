namespace LatencyGate.Diagnostics;

/// <summary>How serious a <see cref="Diagnostic"/> is.</summary>
public enum DiagnosticSeverity
{
    /// <summary>A note; never changes the exit code.</summary>
    Info,

    /// <summary>Worth reading; never changes the exit code.</summary>
    Warning,

    /// <summary>A problem that sets a non-zero exit code.</summary>
    Error,
}
