namespace LatencyGate.Learning;

/// <summary>A trainable array and its gradient (same length); <see cref="Decay"/> says whether weight decay applies.</summary>
internal sealed record Parameter(string Name, float[] Value, float[] Gradient, bool Decay);
