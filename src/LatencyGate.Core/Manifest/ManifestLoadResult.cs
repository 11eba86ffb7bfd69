using LatencyGate.Diagnostics;

namespace LatencyGate.Manifest;

/// <summary>The outcome of loading: the manifest when it is valid, and every diagnostic found either way.</summary>
internal sealed record ManifestLoadResult(LatencyGateManifest? Manifest, IReadOnlyList<Diagnostic> Diagnostics)
{
    public bool HasErrors => Diagnostics.Any(d => d.Severity == DiagnosticSeverity.Error);

    /// <summary>The manifest, or a <see cref="LatencyGateException"/> (exit code 2) carrying every diagnostic.</summary>
    public LatencyGateManifest GetOrThrow() =>
        Manifest is not null && !HasErrors ? Manifest : throw new LatencyGateException(Diagnostics, ExitCode.InvalidInput);
}
