using LatencyGate.Diagnostics;

namespace LatencyGate.Gating;

/// <summary>The gate as hosts call it (CLI <c>check</c>, MSBuild task).</summary>
public static class GateRunner
{
    /// <summary>Loads and validates the manifest, builds each device's predictor, checks or searches, writes reports.</summary>
    public static CheckOutcome Check(CheckRequest request, IProgress<string>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        _ = progress;
        cancellationToken.ThrowIfCancellationRequested();
        throw new LatencyGateException("LG0599", "the gate is being wired (integration in progress)", new SourceLocation(request.ManifestPath));
    }

    /// <summary>
    /// The manifest and every file it references (archs, tables, predictors, measurements), for
    /// incremental builds; a manifest that cannot be read yields just itself.
    /// </summary>
    public static IReadOnlyList<string> ListInputs(string manifestPath) => [Path.GetFullPath(manifestPath)];
}
