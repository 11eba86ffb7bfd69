namespace LatencyGate.Monotonicity;

/// <summary>
/// The candidate archs a proxy is adapted over, with their encodings and the proxy device's
/// predictions: the additive one-hot model (OneProxy's proxy model) and a structure-feature ridge
/// model, both fit on every proxy measurement available. Adapters pick shots from these rows.
/// </summary>
internal sealed class AdaptationPool
{
    /// <param name="structuralIsPositional">Per structural column, whether it is a per-position entry (penalized harder); null: none is.</param>
    public AdaptationPool(IReadOnlyList<double[]> oneHot, IReadOnlyList<double[]> structural, IReadOnlyList<double> proxyLatency, IReadOnlyList<bool>? structuralIsPositional = null)
    {
        ArgumentNullException.ThrowIfNull(oneHot);
        ArgumentNullException.ThrowIfNull(structural);
        ArgumentNullException.ThrowIfNull(proxyLatency);
        OneHot = oneHot;
        Structural = FeatureScaling.Standardize(structural, out var kept);
        StructuralIsPositional = [.. kept.Select(j => structuralIsPositional is not null && structuralIsPositional[j])];
        ProxyLatency = proxyLatency;
        var measured = Enumerable.Range(0, proxyLatency.Count).Where(i => !double.IsNaN(proxyLatency[i])).ToArray();
        var additive = RidgeRegression.Fit([.. measured.Select(i => oneHot[i])], [.. measured.Select(i => proxyLatency[i])], lambdaGrid: [1e-6]);
        ProxyAdditive = [.. oneHot.Select(x => additive.Predict(x))];
        var structuralModel = RidgeRegression.Fit([.. measured.Select(i => Structural[i])], [.. measured.Select(i => proxyLatency[i])]);
        ProxyStructural = [.. Structural.Select(x => structuralModel.Predict(x))];
    }

    public int Count => OneHot.Count;

    public IReadOnlyList<double[]> OneHot { get; }

    /// <summary>Structure features, standardized over the pool (constant columns dropped).</summary>
    public IReadOnlyList<double[]> Structural { get; }

    /// <summary>Per column of <see cref="Structural"/>: a per-position entry.</summary>
    public IReadOnlyList<bool> StructuralIsPositional { get; }

    /// <summary>The proxy's measurements (NaN where missing).</summary>
    public IReadOnlyList<double> ProxyLatency { get; }

    /// <summary>The proxy's additive per-operator (one-hot) model, evaluated on every row.</summary>
    public IReadOnlyList<double> ProxyAdditive { get; }

    /// <summary>The proxy's structure-feature model, evaluated on every row.</summary>
    public IReadOnlyList<double> ProxyStructural { get; }
}
