using LatencyGate.Adaptation.Features;
using LatencyGate.Numerics;
using LatencyGate.Spaces;

namespace LatencyGate.Adaptation;

/// <summary>
/// Latency as a linear function of a feature map: with <see cref="StructuredFeatures"/>, an additive
/// per-operator cost model (each coefficient is the cost of one operator at the reference resolution).
/// Fitted by non-negative ridge, so costs stay physical; usable as a base or as OneProxy's proxy.
/// </summary>
internal sealed class LinearLatencyModel : PointPredictor
{
    public LatencyModelCoefficients Coefficients { get; }

    public IFeatureMap Features { get; }

    public LinearLatencyModel(IFeatureMap features, OfaSpace space, double[] weights, double intercept, string deviceName)
        : base(space)
    {
        Features = features;
        Coefficients = new LatencyModelCoefficients(weights, intercept);
        DeviceName = deviceName;
    }

    public string DeviceName { get; }

    public override string Description => $"additive per-operator model ({Features.Name}, {Features.FeatureNames.Count} costs) for {DeviceName}";

    public override double PredictOne(Arch arch)
    {
        Span<double> f = stackalloc double[Features.FeatureNames.Count];
        Features.Compute(arch, f);
        return FixedOrder.Dot(f, Coefficients.Weights) + Coefficients.Intercept;
    }

    /// <summary>
    /// Fits non-negative per-operator costs with a ridge penalty scaled to the data; the intercept is
    /// free unless <paramref name="nonNegativeIntercept"/> (a lookup table has no offset to go negative).
    /// </summary>
    public static LinearLatencyModel Fit(IFeatureMap features, OfaSpace space, IReadOnlyList<LatencyShot> shots, string deviceName, double relativePenalty = 1e-4, bool nonNegativeIntercept = false)
    {
        var p = features.FeatureNames.Count;
        var x = new double[shots.Count][];
        var y = new double[shots.Count];
        for (var i = 0; i < shots.Count; i++)
        {
            x[i] = new double[p + 1];
            features.Compute(shots[i].Arch, x[i]);
            x[i][p] = 1;
            y[i] = shots[i].LatencyMs;
        }

        var penalty = ScaledPenalty(x, relativePenalty, p);
        var nonNegative = Enumerable.Range(0, p + 1).Select(j => j < p || nonNegativeIntercept).ToArray();
        var beta = LinearSolve.NonNegativeRidge(x, y, penalty, nonNegative);
        return new LinearLatencyModel(features, space, beta[..p], beta[p], deviceName);
    }

    /// <summary>Penalty λ·mean(x²) per column (none on the last <paramref name="penalized"/>..end columns).</summary>
    internal static double[] ScaledPenalty(double[][] x, double relative, int penalized)
    {
        var p = x[0].Length;
        var penalty = new double[p];
        for (var j = 0; j < penalized; j++)
        {
            var s = 0.0;
            foreach (var row in x)
            {
                s += row[j] * row[j];
            }

            penalty[j] = relative * Math.Max(s, 1e-9);
        }

        return penalty;
    }
}

/// <summary>Coefficients of a linear latency model.</summary>
internal sealed record LatencyModelCoefficients(double[] Weights, double Intercept);
