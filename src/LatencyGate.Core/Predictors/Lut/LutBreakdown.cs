namespace LatencyGate.Predictors.Lut;

/// <summary>
/// The per-layer lookup-table latencies of one arch and their sum. When the arch's resolution
/// has no table and interpolation was asked for, <see cref="InterpolatedFrom"/> names the two
/// tables used (both on one side means the value was extrapolated).
/// </summary>
public sealed record LutBreakdown(IReadOnlyList<LutLayerLatency> Layers, double TotalMs, (int Low, int High)? InterpolatedFrom)
{
    public bool Interpolated => InterpolatedFrom is not null;

    /// <summary>True when the resolution lies outside the tables' range and was extrapolated linearly.</summary>
    public bool Extrapolated { get; init; }
}
