namespace LatencyGate.Diagnostics;

/// <summary>One finding, rendered in the canonical MSBuild/compiler form that IDEs and CI pick up.</summary>
/// <param name="Code">The stable code, <c>LGnnnn</c> (docs/diagnostics.md).</param>
/// <param name="Severity">Error, warning or info.</param>
/// <param name="Message">What is wrong and what was expected.</param>
/// <param name="Location">The file, line and column it is about, when there is one.</param>
public sealed record Diagnostic(string Code, DiagnosticSeverity Severity, string Message, SourceLocation? Location = null)
{
    /// <summary>A message is cut beyond this, as a last guard for echoed input no site has cut (see <see cref="EchoText"/>).</summary>
    internal const int MaxMessageChars = 4000;

    internal static Diagnostic Error(string code, string message, SourceLocation? location = null) =>
        new(code, DiagnosticSeverity.Error, Bounded(message), location);

    internal static Diagnostic Warning(string code, string message, SourceLocation? location = null) =>
        new(code, DiagnosticSeverity.Warning, Bounded(message), location);

    private static string Bounded(string message) => message is { Length: > MaxMessageChars }
        ? string.Concat(message.AsSpan(0, MaxMessageChars), "… (message cut)")
        : message;

    /// <summary><c>FILE(LINE,COL): error LG0001: message</c>, one line (control characters escaped, <see cref="EchoText.OneLine"/>); the location part is omitted when unknown.</summary>
    public override string ToString()
    {
        var severity = Severity switch
        {
            DiagnosticSeverity.Error => "error",
            DiagnosticSeverity.Warning => "warning",
            _ => "info",
        };
        var prefix = Location is null ? string.Empty : Location + ": ";
        return EchoText.OneLine($"{prefix}{severity} {Code}: {Message}");
    }
}
