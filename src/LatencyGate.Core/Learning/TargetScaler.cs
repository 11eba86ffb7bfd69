using LatencyGate.Numerics;

namespace LatencyGate.Learning;

/// <summary>Scalar target normalization y → (y − Shift) / Scale; predictions map back with <see cref="Invert"/>.</summary>
internal sealed record TargetScaler(double Shift, double Scale)
{
    public static TargetScaler Identity { get; } = new(0.0, 1.0);

    public static TargetScaler Fit(ReadOnlySpan<double> targets)
    {
        if (targets.Length == 0)
        {
            return Identity;
        }

        var (mean, sd) = Moments.Of(targets);

        // Rounded to float32, as stored in predictor files, so a model predicts the same after a round trip.
        return new TargetScaler((float)mean, sd > 1e-12 ? (float)sd : 1.0);
    }

    public float Apply(double value) => (float)((value - Shift) / Scale);

    public double Invert(float value) => (value * Scale) + Shift;
}
