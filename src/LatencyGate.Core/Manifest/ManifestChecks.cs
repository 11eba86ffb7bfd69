namespace LatencyGate.Manifest;

/// <summary>The load-time checks this part provides; the gate adds its own (predictor spaces, measurements rows).</summary>
internal static class ManifestChecks
{
    public static IReadOnlyList<IManifestCheck> Standard { get; } = [new ShippedArchCheck()];
}
