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
        FitAndPredict(pool, shots, y, i => [.. pool.Priors[i], .. pool.Structural[i]], pool.Priors[0].Length));

    /// <summary>
    /// Ours, tiered: as <see cref="StructuralProxy"/>, but feature tiers carry penalty factors
    /// chosen with λ by leave-one-out (from all alike to op counts only), so that 20 shots can settle
    /// on the cell-level counts when positions do not matter on the target.
    /// </summary>
    public static IProxyAdapter TieredStructuralProxy { get; } = new Adapter("structure+proxy-tiered", (pool, shots, y) =>
        FitTiered(pool, shots, y, i => [.. pool.Priors[i], .. pool.Structural[i]], pool.Priors[0].Length));

    public static IReadOnlyList<IProxyAdapter> All { get; } = [RawProxy, AdaProxy, ScratchOneHot, ScratchStructural, StructuralProxy, TieredStructuralProxy];

    /// <summary>The method the recommendation and the gate use.</summary>
    public static IProxyAdapter Best => TieredStructuralProxy;

    // Penalty factor per structure tier (counts, other cell-level, per-position): from "all
    // features alike" to "op counts only".
    private const int EnsembleSize = 3;

    private static readonly double[][] TierFactors =
        [[1, 1, 1], [1, 1, 10], [1, 1, 100], [1, 1, 1e4]];

    // With several source devices and a handful of shots, leaving every source free overfits.
    private static readonly double[] MultiPriorFactors = [1e-6, 1e-2, 1];

    private static double[] FitTiered(AdaptationPool pool, IReadOnlyList<int> shots, IReadOnlyList<double> y, Func<int, double[]> features, int priorColumns)
    {
        var x = shots.Select(features).ToArray();
        var fits = new List<RidgeRegression>();
        var priorFactors = priorColumns > 1 ? MultiPriorFactors : [PriorPenalty];
        foreach (var (priorFactor, tiers) in priorFactors.SelectMany(p => TierFactors.Select(t => (p, t))))
        {
            var penalty = new double[x[0].Length];
            for (var j = 0; j < penalty.Length; j++)
            {
                penalty[j] = j < priorColumns ? priorFactor : tiers[pool.StructuralTier[j - priorColumns]];
            }

            fits.Add(RidgeRegression.Fit(x, y, penalty));
        }

        // Averaging the few best profiles is steadier than trusting one leave-one-out minimum on 10–20 shots.
        var chosen = fits.OrderBy(f => f.LooMse).Take(EnsembleSize).ToArray();
        var predictions = new double[pool.Count];
        for (var i = 0; i < pool.Count; i++)
        {
            var row = features(i);
            predictions[i] = chosen.Average(m => m.Predict(row));
        }

        return predictions;
    }

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
