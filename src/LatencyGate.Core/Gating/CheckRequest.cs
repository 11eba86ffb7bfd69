namespace LatencyGate.Gating;

/// <summary>What a host asks of the gate: everything the core needs, passed in (no environment reads).</summary>
public sealed record CheckRequest(string ManifestPath)
{
    /// <summary>Folder for JSON/JUnit/Markdown/SARIF reports; null uses the manifest's outputs setting.</summary>
    public string? ReportDirectory { get; init; }

    /// <summary>Folder for cached fitted/adapted predictors; null uses <c>.latency-gate/cache</c> beside the manifest.</summary>
    public string? CacheDirectory { get; init; }

    /// <summary>Upper bound on worker threads; results do not depend on it.</summary>
    public int? MaxDegreeOfParallelism { get; init; }

    /// <summary>When set, only this device is checked.</summary>
    public string? DeviceName { get; init; }
}
