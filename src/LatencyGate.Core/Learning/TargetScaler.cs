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

        var mean = 0.0;
        foreach (var t in targets)
        {
            mean += t;
        }

        mean /= targets.Length;
        var variance = 0.0;
        foreach (var t in targets)
        {
            variance += (t - mean) * (t - mean);
        }

        // Rounded to float32, as stored in predictor files, so a model predicts the same after a round trip.
        var sd = Math.Sqrt(variance / targets.Length);
        return new TargetScaler((float)mean, sd > 1e-12 ? (float)sd : 1.0);
    }

    public float Apply(double value) => (float)((value - Shift) / Scale);

    public double Invert(float value) => (value * Scale) + Shift;
}
