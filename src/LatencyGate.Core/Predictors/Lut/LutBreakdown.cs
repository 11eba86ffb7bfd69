namespace LatencyGate.Predictors.Lut;

/// <summary>
/// The per-layer lookup-table latencies of one arch and their sum. When the arch's resolution
/// has no table and interpolation was asked for, <see cref="InterpolatedFrom"/> names the two
/// tables used, one on each side.
/// </summary>
internal sealed record LutBreakdown(IReadOnlyList<LutLayerLatency> Layers, double TotalMs, (int Low, int High)? InterpolatedFrom)
{
    public bool Interpolated => InterpolatedFrom is not null;
}
