using LatencyGate.Predictors;

namespace LatencyGate.Adaptation;

/// <summary>
/// The median of the shots for every arch, whatever the base says: the floor every other strategy
/// must beat in auto's cross-validation (on some devices, e.g. GPUs at batch 1, latency barely
/// depends on the arch and nothing beats it). Stored as a rescale with scale 0.
/// </summary>
internal sealed class ConstantStrategy : IAdaptationStrategy
{
    public const string StrategyName = "constant";

    public string Name => StrategyName;

    public int MinimumShots => 1;

    public bool Supports(ILatencyPredictor basePredictor) => true;

    public ILatencyPredictor Adapt(ILatencyPredictor basePredictor, IReadOnlyList<LatencyShot> shots, ulong seed)
    {
        StrategyGuards.RequireShots(this, shots);
        return new AdaptedPredictor(basePredictor, Name, 0.0, Median(shots.Select(s => s.LatencyMs)));
    }

    internal static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        var n = sorted.Length;
        return n % 2 == 1 ? sorted[n / 2] : 0.5 * (sorted[(n / 2) - 1] + sorted[n / 2]);
    }
}
