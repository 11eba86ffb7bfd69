using LatencyGate.Predictors;

namespace LatencyGate.Adaptation;

/// <summary>
/// target ≈ s · base with s the median of the shots' measured/predicted ratios: the proportional
/// rescale, the other floor auto's choice must beat (robust to an outlying shot, no offset to
/// overfit with few shots).
/// </summary>
internal sealed class RescaleStrategy : IAdaptationStrategy
{
    public const string StrategyName = "rescale";

    public string Name => StrategyName;

    public int MinimumShots => 1;

    public bool Supports(ILatencyPredictor basePredictor) => true;

    public ILatencyPredictor Adapt(ILatencyPredictor basePredictor, IReadOnlyList<LatencyShot> shots, ulong seed)
    {
        StrategyGuards.RequireShots(this, shots);
        var predicted = basePredictor.PredictAll(shots.Select(s => s.Arch).ToArray());
        var ratios = shots.Select((s, i) => s.LatencyMs / Math.Max(predicted[i], 1e-9));
        return new AdaptedPredictor(basePredictor, Name, ConstantStrategy.Median(ratios), 0.0);
    }
}
