namespace LatencyGate.Diagnostics;

/// <summary>Collects every problem of one pass (for example manifest validation) before failing once.</summary>
internal sealed class DiagnosticBag
{
    private readonly List<Diagnostic> _items = [];

    public IReadOnlyList<Diagnostic> Items => _items;

    public bool HasErrors => _items.Exists(d => d.Severity == DiagnosticSeverity.Error);

    public void Add(Diagnostic diagnostic) => _items.Add(diagnostic);

    public void Error(string code, string message, SourceLocation? location = null) =>
        _items.Add(Diagnostic.Error(code, message, location));

    public void Warning(string code, string message, SourceLocation? location = null) =>
        _items.Add(Diagnostic.Warning(code, message, location));

    /// <summary>Throws one exception carrying every error (and warning) collected so far, if any error was.</summary>
    public void ThrowIfErrors(ExitCode exitCode = ExitCode.InvalidInput)
    {
        if (HasErrors)
        {
            throw new LatencyGateException(_items.ToArray(), exitCode);
        }
    }
}
