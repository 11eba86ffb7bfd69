using LatencyGate.Spaces;

namespace LatencyGate.Predictors.Lut;

/// <summary>One layer of an arch with its lookup-table latency (ms).</summary>
internal sealed record LutLayerLatency(OfaLayer Layer, double LatencyMs);
