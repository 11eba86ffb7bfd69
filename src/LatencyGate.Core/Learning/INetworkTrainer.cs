namespace LatencyGate.Learning;

/// <summary>
/// What trains a network from scratch: the part of a training engine (Adaptation.ITrainingEngine) that
/// fitting a predictor needs.
/// </summary>
internal interface INetworkTrainer
{
    /// <summary>The name on the command line and in manifests (<c>managed</c>, <c>torch</c>).</summary>
    string Name { get; }

    /// <summary>Trains <paramref name="model"/> in place from its current weights, as <see cref="MlpTrainer.Train"/> specifies.</summary>
    TrainingResult Train(Mlp model, float[] inputs, float[] targets, float[]? validationInputs, float[]? validationTargets, TrainingOptions options, TargetScaler? targetScaler = null);
}

/// <summary>Our own trainer, <see cref="MlpTrainer"/>: the default of a predictor fit.</summary>
internal sealed class ManagedNetworkTrainer : INetworkTrainer
{
    public static ManagedNetworkTrainer Instance { get; } = new();

    public string Name => "managed";

    public TrainingResult Train(Mlp model, float[] inputs, float[] targets, float[]? validationInputs, float[]? validationTargets, TrainingOptions options, TargetScaler? targetScaler = null) =>
        MlpTrainer.Train(model, inputs, targets, validationInputs, validationTargets, options, targetScaler);
}
