namespace LatencyGate.Learning;

/// <summary>
/// How <see cref="MlpTrainer"/> trains. <see cref="Patience"/> &gt; 0 turns on early stopping on
/// the validation split (the best epoch's weights are restored). <see cref="FrozenLayers"/> keeps
/// the first layers fixed: the hook for fine-tuning a base predictor's head.
/// </summary>
internal sealed record TrainingOptions
{
    public int Epochs { get; init; } = 100;

    public int BatchSize { get; init; } = 128;

    public LossKind Loss { get; init; } = LossKind.Mse;

    public double HuberDelta { get; init; } = 1.0;

    public OptimizerSettings Optimizer { get; init; } = new();

    public LearningRateSchedule Schedule { get; init; } = new(ScheduleKind.Cosine, 1e-3);

    public int Patience { get; init; }

    public ulong Seed { get; init; } = 1;

    public int FrozenLayers { get; init; }

    /// <summary>Weight decay on biases too (PyTorch applies it to every parameter by default).</summary>
    public bool DecayBiases { get; init; } = true;

    /// <summary>Checked at every step, so Ctrl-C or SIGTERM ends training at once (exit code 130), not after the last epoch.</summary>
    public CancellationToken Cancellation { get; init; }
}

/// <summary>One epoch of training: mean batch loss, validation MAE (target units) and the learning rate at its end.</summary>
internal sealed record EpochRecord(int Epoch, double TrainLoss, double? ValidationMae, double LearningRate);

internal sealed record TrainingResult(IReadOnlyList<EpochRecord> History, int BestEpoch, double? BestValidationMae, bool StoppedEarly)
{
    public int EpochsRun => History.Count;
}
