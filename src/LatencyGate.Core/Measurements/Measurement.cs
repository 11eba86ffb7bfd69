using LatencyGate.Spaces;

namespace LatencyGate.Measurements;

/// <summary>One distinct arch with its latency (the mean of <see cref="Count"/> rows), first seen on CSV line <see cref="Line"/>.</summary>
internal sealed record Measurement(Arch Arch, double LatencyMs, int Count, int Line);
