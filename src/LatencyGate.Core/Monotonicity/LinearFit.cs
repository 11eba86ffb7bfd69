using LatencyGate.Numerics;

namespace LatencyGate.Monotonicity;

/// <summary>
/// A fitted linear model, y = intercept + Σ weightⱼ xⱼ, as stored: the same sums in the same order as
/// <see cref="LeaveOneOutRidge.Predict"/>, so a stored model predicts bit for bit what the fit did.
/// </summary>
internal sealed record LinearFit(double Intercept, double[] Weights)
{
    public static LinearFit From(LeaveOneOutRidge model)
    {
        ArgumentNullException.ThrowIfNull(model);
        return new LinearFit(model.Intercept, model.Coefficients);
    }

    public double Predict(ReadOnlySpan<double> x)
    {
        var sum = Intercept;
        for (var j = 0; j < x.Length; j++)
        {
            sum += Weights[j] * x[j];
        }

        return sum;
    }
}
