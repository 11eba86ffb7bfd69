namespace LatencyGate.Learning;

/// <summary>
/// A trainable array and its gradient (same length); <see cref="Decay"/> says whether weight decay applies.
/// With an <see cref="Anchor"/> (same length) weight decay pulls toward it instead of toward zero: the
/// L2-SP penalty of fine-tuning, which keeps a few shots from dragging a base far from what it learnt.
/// </summary>
internal sealed record Parameter(string Name, float[] Value, float[] Gradient, bool Decay, float[]? Anchor = null);
