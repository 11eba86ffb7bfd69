using LatencyGate.Diagnostics;

namespace LatencyGate.Manifest;

/// <summary>A manifest value with the place it was written, so later errors can point at it.</summary>
internal sealed record Located<T>(T Value, SourceLocation Location);
