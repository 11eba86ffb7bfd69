namespace LatencyGate.Numerics;

/// <summary>
/// Sums in index order. <c>TensorPrimitives.Dot</c> adds in as many lanes as the CPU's vectors
/// hold, so its last bits depend on the machine; a saved predictor's prediction (and so a verdict
/// near a budget, and the cross-validation choices of an adaptation) must not. Hot loops of the
/// training engine use TensorPrimitives; the small dot products of adapted and linear predictors use this.
/// </summary>
internal static class FixedOrder
{
    public static double Dot(ReadOnlySpan<double> a, ReadOnlySpan<double> b)
    {
        var s = 0.0;
        for (var i = 0; i < a.Length; i++)
        {
            s += a[i] * b[i];
        }

        return s;
    }
}
