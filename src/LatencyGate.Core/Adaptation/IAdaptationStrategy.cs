using LatencyGate.Predictors;

namespace LatencyGate.Adaptation;

/// <summary>Makes a predictor for a new device from a base predictor and a few measurements on that device.</summary>
internal interface IAdaptationStrategy
{
    /// <summary>The name used on the command line and in manifests (head, full, affine, adaproxy, constant, rescale, auto).</summary>
    string Name { get; }

    /// <summary>Fewest shots the strategy can use.</summary>
    int MinimumShots { get; }

    /// <summary>Whether the strategy can adapt this base (head needs a network trunk, full a trainable model).</summary>
    bool Supports(ILatencyPredictor basePredictor);

    ILatencyPredictor Adapt(ILatencyPredictor basePredictor, IReadOnlyList<LatencyShot> shots, ulong seed);
}
