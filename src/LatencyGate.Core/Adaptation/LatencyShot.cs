using LatencyGate.Spaces;

namespace LatencyGate.Adaptation;

/// <summary>One measurement on the target device: an arch and its latency in ms (one whole batch).</summary>
internal sealed record LatencyShot(Arch Arch, double LatencyMs);
