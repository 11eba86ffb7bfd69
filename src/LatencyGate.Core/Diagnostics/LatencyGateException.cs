namespace LatencyGate.Diagnostics;

/// <summary>
/// A user-facing failure that carries one or more coded diagnostics. Hosts print the diagnostics
/// (never the stack trace) and exit with <see cref="ExitCode"/>.
/// </summary>
internal sealed class LatencyGateException : Exception
{
    public LatencyGateException(Diagnostic diagnostic, ExitCode exitCode = ExitCode.InvalidInput)
        : this([diagnostic], exitCode)
    {
    }

    public LatencyGateException(IReadOnlyList<Diagnostic> diagnostics, ExitCode exitCode = ExitCode.InvalidInput)
        : base(diagnostics.Count == 0 ? "LatencyGate failed." : string.Join(Environment.NewLine, diagnostics))
    {
        Diagnostics = diagnostics;
        ExitCode = exitCode;
    }

    /// <summary>The code of an error raised without a specific one (documented as a bug worth reporting).</summary>
    public const string Unclassified = "LG0000";

    public LatencyGateException(string code, string message, SourceLocation? location = null, ExitCode exitCode = ExitCode.InvalidInput)
        : this(Diagnostic.Error(code, message, location), exitCode)
    {
    }

    public LatencyGateException()
        : this([], ExitCode.InternalError)
    {
    }

    public LatencyGateException(string message)
        : this(Diagnostic.Error(Unclassified, message))
    {
    }

    public LatencyGateException(string message, Exception innerException)
        : base(message, innerException)
    {
        Diagnostics = [Diagnostic.Error(Unclassified, message)];
        ExitCode = ExitCode.InvalidInput;
    }

    public IReadOnlyList<Diagnostic> Diagnostics { get; }

    public ExitCode ExitCode { get; }
}
