namespace LatencyGate.Diagnostics;

public enum DiagnosticSeverity
{
    Info,
    Warning,
    Error,
}
