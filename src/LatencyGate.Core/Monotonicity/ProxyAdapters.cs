using LatencyGate.Numerics;

namespace LatencyGate.Monotonicity;

/// <summary>The adaptation methods compared in docs/monotonicity.md.</summary>
internal static class ProxyAdapters
{
    /// <summary>Near-free penalty factor for a prior column (a global scale on the proxy's prediction).</summary>
    private const double PriorPenalty = 1e-6;

    private const int EnsembleSize = 3;

    // Penalty factor per structure tier (counts, other cell-level, per-position): from "all
    // features alike" to "op counts only".
    private static readonly double[][] TierFactors =
        [[1, 1, 1], [1, 1, 10], [1, 1, 100], [1, 1, 1e4]];

    // Adds profiles that also damp the other cell-level terms, and two that favour the op counts.
    private static readonly double[][] AdaptiveTierFactors =
        [[1, 1, 1], [1, 1, 10], [1, 1, 100], [1, 1, 1e4], [1, 10, 100], [1, 10, 1e4], [0.1, 1, 1e4], [0.1, 10, 1e4]];

    private const double ImportanceExponent = 0.5;

    // Keeps columns the proxy ignored from an unbounded penalty.
    private const double ImportanceFloor = 0.1;

    public static IProxyAdapter RawProxy { get; } = new Adapter("raw-proxy", (pool, _, _) => [.. pool.ProxyLatency]);

    /// <summary>
    /// AdaProxy as published (OneProxy): target ≈ b + s·proxy_additive(x) + Σ δ_op one-hot_op(x),
    /// s and b free, δ L2-penalized, λ by leave-one-out over the shots.
    /// </summary>
    /// <remarks>
    /// Not the same code as <c>Adaptation.AdaProxyStrategy</c>, on purpose: this one works on a table
    /// (a pool of archs with the proxy's measured latencies, any space, NAS-Bench-201 and FBNet
    /// included) and returns numbers for the pool's rows, as the monotonicity analysis and the
    /// published comparison need; the strategy adapts a predictor object (OFA, through its
    /// per-operator features) and returns a predictor that is saved to a file. Both solve with
    /// <c>Numerics</c>' ridge solvers. See docs/architecture.md.
    /// </remarks>
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
        FitTiered(pool, shots, y, TierFactors, 0));

    /// <summary>
    /// Ours, best: as <see cref="TieredStructuralProxy"/> with a wider set of tier profiles, and each
    /// structure column's penalty further scaled by how little the proxy's own structure model
    /// used it, (mean importance / (importance + 0.1·mean importance))^½: what mattered on the proxy
    /// (fit on all its measurements) is cheap on the target, what did not must earn its weight from
    /// the shots. Hyperparameters are the profile grid and the top-3 average, chosen by LOO on the shots.
    /// </summary>
    public static IProxyAdapter AdaptiveStructuralProxy { get; } = new Adapter("structure+proxy-adaptive", (pool, shots, y) =>
        FitTiered(pool, shots, y, AdaptiveTierFactors, ImportanceExponent));

    public static IReadOnlyList<IProxyAdapter> All { get; } = [RawProxy, AdaProxy, ScratchOneHot, ScratchStructural, StructuralProxy, TieredStructuralProxy, AdaptiveStructuralProxy];

    /// <summary>The method the recommendation, the benchmarks' "ours" rows and the gate use.</summary>
    public static IProxyAdapter Best => AdaptiveStructuralProxy;

    // With several source devices and a handful of shots, leaving every source free overfits.
    private static readonly double[] MultiPriorFactors = [1e-6, 1e-2, 1];

    private static double[] FitTiered(AdaptationPool pool, IReadOnlyList<int> shots, IReadOnlyList<double> y, double[][] profiles, double importanceExponent)
    {
        var chosen = FitTieredModels(pool, shots, y, profiles, importanceExponent);
        var predictions = new double[pool.Count];
        for (var i = 0; i < pool.Count; i++)
        {
            predictions[i] = Average(chosen, pool.Row(i));
        }

        return predictions;
    }

    /// <summary>
    /// The models <see cref="Best"/> averages, fit on the <paramref name="shots"/> rows of <paramref name="pool"/>:
    /// each takes <see cref="AdaptationPool.Row"/> (the prior columns, then the structure features).
    /// </summary>
    public static LinearFit[] FitBest(AdaptationPool pool, IReadOnlyList<int> shots, IReadOnlyList<double> y) =>
        FitTieredModels(pool, shots, y, AdaptiveTierFactors, ImportanceExponent);

    /// <summary>The prediction of the models <see cref="FitBest"/> returns for one row: their mean.</summary>
    public static double Average(IReadOnlyList<LinearFit> models, double[] row) => models.Average(m => m.Predict(row));

    private static LinearFit[] FitTieredModels(AdaptationPool pool, IReadOnlyList<int> shots, IReadOnlyList<double> y, double[][] profiles, double importanceExponent)
    {
        var priorColumns = pool.Priors[0].Length;
        var x = shots.Select(pool.Row).ToArray();
        var meanImportance = pool.PriorImportance.Average();
        var fits = new List<LeaveOneOutRidge>();
        var priorFactors = priorColumns > 1 ? MultiPriorFactors : [PriorPenalty];
        foreach (var (priorFactor, tiers) in priorFactors.SelectMany(p => profiles.Select(t => (p, t))))
        {
            var penalty = new double[x[0].Length];
            for (var j = 0; j < penalty.Length; j++)
            {
                if (j < priorColumns)
                {
                    penalty[j] = priorFactor;
                    continue;
                }

                var k = j - priorColumns;
                var unimportance = meanImportance / (pool.PriorImportance[k] + (ImportanceFloor * meanImportance));
                penalty[j] = tiers[pool.StructuralTier[k]] * Math.Pow(unimportance, importanceExponent);
            }

            fits.Add(LeaveOneOutRidge.Fit(x, y, penalty));
        }

        // Averaging the few best profiles is steadier than trusting one leave-one-out minimum on 10–20 shots.
        return [.. fits.OrderBy(f => f.LooMse).Take(EnsembleSize).Select(LinearFit.From)];
    }

    private static double[] FitAndPredict(AdaptationPool pool, IReadOnlyList<int> shots, IReadOnlyList<double> y, Func<int, double[]> features, int priorColumns)
    {
        var x = shots.Select(features).ToArray();
        var penalty = new double[x[0].Length];
        for (var j = 0; j < penalty.Length; j++)
        {
            penalty[j] = j < priorColumns ? PriorPenalty : 1;
        }

        var model = LeaveOneOutRidge.Fit(x, y, penalty);
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
