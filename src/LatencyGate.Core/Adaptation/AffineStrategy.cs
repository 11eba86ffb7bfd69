using LatencyGate.Numerics;
using LatencyGate.Predictors;

namespace LatencyGate.Adaptation;

/// <summary>target ≈ a · base + b, fitted robustly (Theil–Sen start, Huber IRLS); one shot gives a pure scale.</summary>
internal sealed class AffineStrategy : IAdaptationStrategy
{
    public string Name => "affine";

    public int MinimumShots => 1;

    public bool Supports(ILatencyPredictor basePredictor) => true;

    public ILatencyPredictor Adapt(ILatencyPredictor basePredictor, IReadOnlyList<LatencyShot> shots, ulong seed)
    {
        StrategyGuards.RequireShots(this, shots);
        var x = basePredictor.PredictAll(shots.Select(s => s.Arch).ToArray());
        var y = shots.Select(s => s.LatencyMs).ToArray();
        var (a, b) = RobustAffine.Fit(x, y);
        return new AdaptedPredictor(basePredictor, Name, a, b);
    }
}
