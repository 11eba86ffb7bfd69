using System.Globalization;
using LatencyGate.Predictors;
using LatencyGate.Spaces;
using LatencyGate.Statistics;

namespace LatencyGate.Adaptation;

/// <summary>
/// Several bases combined into one, weighted by how well each ranks the shots: every base is first
/// rescaled to the shots (one factor, the mean log-ratio), then the blend is the weighted geometric
/// mean with weights ∝ 1 / (1 − ρ)², ρ the base's Spearman correlation with the shots (1 − ρ is the
/// base's rank disagreement; its square behaves like an error variance, so this is inverse-variance
/// weighting). Picking the single best-ranked base from a handful of shots is a noisy choice; the
/// blend averages out what each source device gets wrong on its own, and a strategy then adapts it.
/// </summary>
internal sealed class BlendedBase : PointPredictor
{
    private readonly ILatencyPredictor[] _bases;
    private readonly double[] _weights;
    private readonly double[] _logScales;

    private BlendedBase(ILatencyPredictor[] bases, double[] weights, double[] logScales)
        : base(bases[0].Space)
    {
        _bases = bases;
        _weights = weights;
        _logScales = logScales;
    }

    public IReadOnlyList<double> Weights => _weights;

    public override string Description =>
        "blend of " + string.Join(", ", _bases.Select((b, i) => string.Create(CultureInfo.InvariantCulture, $"{b.Description} (w={_weights[i]:F3})")));

    /// <summary>Weights the bases on the shots (at least 2 shots for a rank; with fewer, equal weights).</summary>
    public static BlendedBase Fit(IReadOnlyList<ILatencyPredictor> bases, IReadOnlyList<LatencyShot> shots)
    {
        var archs = shots.Select(s => s.Arch).ToArray();
        var measured = shots.Select(s => s.LatencyMs).ToArray();
        var weights = new double[bases.Count];
        var logScales = new double[bases.Count];
        for (var i = 0; i < bases.Count; i++)
        {
            var predicted = bases[i].PredictAll(archs);
            var logRatio = 0.0;
            for (var j = 0; j < predicted.Length; j++)
            {
                logRatio += Math.Log(measured[j] / Math.Max(predicted[j], 1e-9));
            }

            logScales[i] = logRatio / predicted.Length;
            var rho = shots.Count >= 3 ? RankCorrelation.Spearman(predicted, measured) : double.NaN;
            var disagreement = double.IsNaN(rho) ? 1 : Math.Max(1 - rho, 0.01);
            weights[i] = 1 / (disagreement * disagreement);
        }

        var total = weights.Sum();
        for (var i = 0; i < weights.Length; i++)
        {
            weights[i] /= total;
        }

        return new BlendedBase(bases.ToArray(), weights, logScales);
    }

    public override double PredictOne(Arch arch)
    {
        var log = 0.0;
        for (var i = 0; i < _bases.Length; i++)
        {
            log += _weights[i] * (Math.Log(Math.Max(_bases[i].PredictOne(arch), 1e-9)) + _logScales[i]);
        }

        return Math.Exp(log);
    }
}
