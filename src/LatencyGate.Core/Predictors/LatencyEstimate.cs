namespace LatencyGate.Predictors;

/// <summary>A latency prediction with its interval, all in milliseconds.</summary>
internal readonly record struct LatencyEstimate(double Ms, double LowerMs, double UpperMs)
{
    public static LatencyEstimate Exact(double ms) => new(ms, ms, ms);
}
