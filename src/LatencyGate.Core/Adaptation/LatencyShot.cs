namespace LatencyGate.Adaptation;

using LatencyGate.Spaces;

/// <summary>One measurement on the target device: an arch and its latency in ms (one whole batch).</summary>
public sealed record LatencyShot(Arch Arch, double LatencyMs);
