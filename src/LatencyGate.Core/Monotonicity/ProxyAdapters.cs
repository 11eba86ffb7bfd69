namespace LatencyGate.Monotonicity;

/// <summary>The adaptation methods compared in docs/monotonicity.md.</summary>
internal static class ProxyAdapters
{
    /// <summary>Near-free penalty factor for a prior column (a global scale on the proxy's prediction).</summary>
    private const double PriorPenalty = 1e-6;

    public static IProxyAdapter RawProxy { get; } = new Adapter("raw-proxy", (pool, _, _) => [.. pool.ProxyLatency]);

    /// <summary>
    /// AdaProxy as published (OneProxy): target ≈ b + s·proxy_additive(x) + Σ δ_op one-hot_op(x),
    /// s and b free, δ L2-penalized, λ by leave-one-out over the shots.
    /// </summary>
    public static IProxyAdapter AdaProxy { get; } = new Adapter("adaproxy-onehot", (pool, shots, y) =>
        FitAndPredict(pool, shots, y, i => [pool.ProxyAdditive[i], .. pool.OneHot[i]], 1));

    /// <summary>The same one-hot additive model fit on the shots alone, no proxy.</summary>
    public static IProxyAdapter ScratchOneHot { get; } = new Adapter("scratch-onehot", (pool, shots, y) =>
        FitAndPredict(pool, shots, y, i => pool.OneHot[i], 0));

    /// <summary>Structure features fit on the shots alone, no proxy.</summary>
    public static IProxyAdapter ScratchStructural { get; } = new Adapter("scratch-structure", (pool, shots, y) =>
        FitAndPredict(pool, shots, y, i => pool.Structural[i], 0));

    /// <summary>
    /// Ours: structure features plus the proxy's structure-model prediction as an (almost) free
    /// prior column; ridge with λ by leave-one-out on the shots.
    /// </summary>
    public static IProxyAdapter StructuralProxy { get; } = new Adapter("structure+proxy", (pool, shots, y) =>
        FitAndPredict(pool, shots, y, i => [pool.ProxyStructural[i], .. pool.Structural[i]], 1));

    /// <summary>
    /// Ours, tiered: as <see cref="StructuralProxy"/>, but per-position entries carry a penalty
    /// factor chosen with λ by leave-one-out from {1, 10, 100, 10⁴}, so that 20 shots can settle
    /// on the cell-level counts when positions do not matter on the target.
    /// </summary>
    public static IProxyAdapter TieredStructuralProxy { get; } = new Adapter("structure+proxy-tiered", (pool, shots, y) =>
        FitTiered(pool, shots, y, i => [pool.ProxyStructural[i], .. pool.Structural[i]], 1));

    public static IReadOnlyList<IProxyAdapter> All { get; } = [RawProxy, AdaProxy, ScratchOneHot, ScratchStructural, StructuralProxy, TieredStructuralProxy];

    private static readonly double[] PositionalFactors = [1, 10, 100, 1e4];

    private static double[] FitTiered(AdaptationPool pool, IReadOnlyList<int> shots, IReadOnlyList<double> y, Func<int, double[]> features, int priorColumns)
    {
        var x = shots.Select(features).ToArray();
        RidgeRegression? best = null;
        foreach (var factor in PositionalFactors)
        {
            var penalty = new double[x[0].Length];
            for (var j = 0; j < penalty.Length; j++)
            {
                penalty[j] = j < priorColumns ? PriorPenalty : pool.StructuralIsPositional[j - priorColumns] ? factor : 1;
            }

            var model = RidgeRegression.Fit(x, y, penalty);
            if (best is null || model.LooMse < best.LooMse)
            {
                best = model;
            }
        }

        var predictions = new double[pool.Count];
        for (var i = 0; i < pool.Count; i++)
        {
            predictions[i] = best!.Predict(features(i));
        }

        return predictions;
    }

    /// <summary>The method the recommendation and the gate use.</summary>
    public static IProxyAdapter Best => StructuralProxy;

    private static double[] FitAndPredict(AdaptationPool pool, IReadOnlyList<int> shots, IReadOnlyList<double> y, Func<int, double[]> features, int priorColumns)
    {
        var x = shots.Select(features).ToArray();
        var penalty = new double[x[0].Length];
        for (var j = 0; j < penalty.Length; j++)
        {
            penalty[j] = j < priorColumns ? PriorPenalty : 1;
        }

        var model = RidgeRegression.Fit(x, y, penalty);
        var predictions = new double[pool.Count];
        for (var i = 0; i < pool.Count; i++)
        {
            predictions[i] = model.Predict(features(i));
        }

        return predictions;
    }

    private sealed class Adapter(string name, Func<AdaptationPool, IReadOnlyList<int>, IReadOnlyList<double>, double[]> adapt) : IProxyAdapter
    {
        public string Name => name;

        public double[] Adapt(AdaptationPool pool, IReadOnlyList<int> shots, IReadOnlyList<double> targetShots) => adapt(pool, shots, targetShots);
    }
}
