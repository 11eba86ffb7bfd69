using LatencyGate.Numerics;

namespace LatencyGate.Monotonicity;

/// <summary>
/// The candidate archs a proxy is adapted over, with their encodings and the proxy devices'
/// predictions. With one proxy (<see cref="ForProxy"/>): its additive one-hot model (OneProxy's
/// proxy model) and a structure-feature ridge model, both fit on every proxy measurement
/// available. With several source devices (<see cref="ForSources"/>): one structure model per source.
/// Adapters pick shots from these rows.
/// </summary>
internal sealed class AdaptationPool
{
    private AdaptationPool(IReadOnlyList<double[]> oneHot, double[][] structural, IReadOnlyList<int> tiers, IReadOnlyList<double> proxyLatency, IReadOnlyList<double> proxyAdditive, double[][] priors, double[] importance)
    {
        PriorImportance = importance;
        OneHot = oneHot;
        Structural = structural;
        StructuralTier = tiers;
        ProxyLatency = proxyLatency;
        ProxyAdditive = proxyAdditive;
        Priors = priors;
    }

    public int Count => OneHot.Count;

    public IReadOnlyList<double[]> OneHot { get; }

    /// <summary>Structure features, standardized over the pool (constant columns dropped).</summary>
    public IReadOnlyList<double[]> Structural { get; }

    /// <summary>Per column of <see cref="Structural"/>: its penalty tier (0 counts, 1 other cell-level, 2 per-position).</summary>
    public IReadOnlyList<int> StructuralTier { get; }

    /// <summary>The proxy's measurements (NaN where missing, or all NaN for a multi-source pool).</summary>
    public IReadOnlyList<double> ProxyLatency { get; }

    /// <summary>The proxy's additive per-operator (one-hot) model, evaluated on every row.</summary>
    public IReadOnlyList<double> ProxyAdditive { get; }

    /// <summary>Per row, the proxy (or source) structure models' predictions, standardized over the pool.</summary>
    public IReadOnlyList<double[]> Priors { get; }

    /// <summary>
    /// Per column of <see cref="Structural"/>: the mean |coefficient| the proxy (source) structure
    /// models gave it, in units of each device's latency standard deviation.
    /// </summary>
    public IReadOnlyList<double> PriorImportance { get; }

    /// <summary>What the adaptation's models take for row <paramref name="i"/>: the prior columns, then the structure features.</summary>
    public double[] Row(int i) => [.. Priors[i], .. Structural[i]];

    /// <summary>
    /// A pool whose structure features and priors are already computed (by a stored <see cref="SourcePrior"/>,
    /// whose standardization was fixed when it was fit): no one-hot encoding, no proxy measurements.
    /// </summary>
    public static AdaptationPool FromPrior(double[][] standardized, IReadOnlyList<int> tiers, double[][] priors, double[] importance)
    {
        ArgumentNullException.ThrowIfNull(standardized);
        var none = Enumerable.Repeat(double.NaN, standardized.Length).ToArray();
        return new AdaptationPool([.. standardized.Select(_ => Array.Empty<double>())], standardized, tiers, none, none, priors, importance);
    }

    /// <summary>One proxy device measured on (some of) the pool's rows.</summary>
    /// <param name="oneHot">Per row, AdaProxy's one-hot encoding.</param>
    /// <param name="structural">Per row, the structure features.</param>
    /// <param name="proxyLatency">Per row, the proxy's latency (NaN where not measured).</param>
    /// <param name="structuralTier">Per structural column, its penalty tier (see <see cref="StructuralTier"/>); null: all tier 0.</param>
    public static AdaptationPool ForProxy(IReadOnlyList<double[]> oneHot, IReadOnlyList<double[]> structural, IReadOnlyList<double> proxyLatency, IReadOnlyList<int>? structuralTier = null)
    {
        ArgumentNullException.ThrowIfNull(oneHot);
        ArgumentNullException.ThrowIfNull(structural);
        ArgumentNullException.ThrowIfNull(proxyLatency);
        var standardized = FeatureScaling.Standardize(structural, out var kept);
        int[] tiers = [.. kept.Select(j => structuralTier is null ? 0 : structuralTier[j])];
        var measured = Enumerable.Range(0, proxyLatency.Count).Where(i => !double.IsNaN(proxyLatency[i])).ToArray();
        var additive = LeaveOneOutRidge.Fit([.. measured.Select(i => oneHot[i])], [.. measured.Select(i => proxyLatency[i])], lambdaGrid: [1e-6]);
        double[] proxyAdditive = [.. oneHot.Select(x => additive.Predict(x))];
        var (prior, coefficients) = FitPrior(standardized, proxyLatency, measured);
        return new AdaptationPool(oneHot, standardized, tiers, proxyLatency, proxyAdditive, [.. prior.Select(v => new[] { v })], [.. coefficients.Select(Math.Abs)]);
    }

    /// <summary>
    /// Several source devices, each measured on the rows <paramref name="sourceTrainRows"/>: a structure
    /// model per source, fit on those rows, gives one prior column per source.
    /// </summary>
    public static AdaptationPool ForSources(IReadOnlyList<double[]> oneHot, IReadOnlyList<double[]> structural, IReadOnlyList<int>? structuralTier, IReadOnlyList<double[]> sourceLatency, IReadOnlyList<int> sourceTrainRows)
    {
        ArgumentNullException.ThrowIfNull(oneHot);
        ArgumentNullException.ThrowIfNull(sourceLatency);
        ArgumentNullException.ThrowIfNull(sourceTrainRows);
        var standardized = FeatureScaling.Standardize(structural, out var kept);
        int[] tiers = [.. kept.Select(j => structuralTier is null ? 0 : structuralTier[j])];
        var fits = sourceLatency.Select(source => FitPrior(standardized, source, sourceTrainRows)).ToArray();
        var importance = new double[standardized[0].Length];
        foreach (var (_, coefficients) in fits)
        {
            for (var j = 0; j < importance.Length; j++)
            {
                importance[j] += Math.Abs(coefficients[j]) / fits.Length;
            }
        }

        var none = Enumerable.Repeat(double.NaN, oneHot.Count).ToArray();
        return new AdaptationPool(oneHot, standardized, tiers, none, none, Rows(fits.Select(f => f.Prediction)), importance);
    }

    private static double[][] Rows(IEnumerable<double[]> columns)
    {
        var c = columns.ToArray();
        var rows = new double[c[0].Length][];
        for (var i = 0; i < rows.Length; i++)
        {
            rows[i] = [.. c.Select(column => column[i])];
        }

        return rows;
    }

    private static (double[] Prediction, double[] Coefficients) FitPrior(double[][] standardized, IReadOnlyList<double> latency, IReadOnlyList<int> rows)
    {
        var usable = rows.Where(i => !double.IsNaN(latency[i])).ToArray();
        var model = LeaveOneOutRidge.Fit([.. usable.Select(i => standardized[i])], [.. usable.Select(i => latency[i])]);
        var sd = Math.Sqrt(usable.Select(i => latency[i]).Select(v => v * v).Average() - Math.Pow(usable.Average(i => latency[i]), 2));
        return (FeatureScaling.Standardize([.. standardized.Select(x => model.Predict(x))]), [.. model.Coefficients.Select(c => c / Math.Max(sd, 1e-12))]);
    }
}
