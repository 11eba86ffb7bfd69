using LatencyGate.Learning;

namespace LatencyGate.Predictors;

/// <summary>How a latency predictor is fitted; <see cref="Default"/> is what <c>fit</c> uses, <see cref="PaperProtocol"/> the seed paper's recipe.</summary>
internal sealed record LatencyFitSettings
{
    public LatencyModelKind Kind { get; init; } = LatencyModelKind.AdditiveMlp;

    public IReadOnlyList<int> Hidden { get; init; } = [256, 256];

    public Activation HiddenActivation { get; init; } = Activation.Relu;

    public bool NormalizeTarget { get; init; } = true;

    public TrainingOptions Training { get; init; } = new();

    /// <summary>Share of the data held out for the network's early stopping when no validation split is given (the additive model alone cross-validates instead).</summary>
    public double ValidationFraction { get; init; } = 0.15;

    /// <summary>What trains the network part (the additive part is a ridge solve either way).</summary>
    public INetworkTrainer Engine { get; init; } = ManagedNetworkTrainer.Instance;

    /// <summary>The <c>fit</c> default: the additive model alone, its form and penalty chosen by cross-validation (chosen on the cli-fit-dev benchmark).</summary>
    public const string DefaultModel = "additive";

    /// <summary>What <c>fit --model NAME --seed S [--epochs E] [--engine]</c> trains: the CLI's call, and the cli-fit benchmark's.</summary>
    public static LatencyFitSettings ForModel(string model, ulong seed, int? epochs = null, INetworkTrainer? engine = null, CancellationToken cancellationToken = default)
    {
        if (!LatencyModelKinds.TryParse(model, out var kind))
        {
            throw new ArgumentException($"unknown model '{model}'", nameof(model));
        }

        var settings = Default(seed) with { Kind = kind, Engine = engine ?? ManagedNetworkTrainer.Instance };
        settings = settings with { Training = settings.Training with { Cancellation = cancellationToken } };
        return epochs is { } e ? settings with { Training = settings.Training with { Epochs = e } } : settings;
    }

    public static LatencyFitSettings Default(ulong seed) => new()
    {
        Training = new TrainingOptions
        {
            Epochs = 60,
            BatchSize = 128,
            Loss = LossKind.Mse,
            Optimizer = new OptimizerSettings(OptimizerKind.AdamW, WeightDecay: 1e-4),
            Schedule = new LearningRateSchedule(ScheduleKind.Cosine, 1e-3, WarmupEpochs: 2, MinimumFraction: 0.01),
            Patience = 15,
            Seed = seed,
        },
    };

    /// <summary>
    /// The seed paper's protocol: its MLP 128-400-400-400-1 on raw targets, SGD (lr 0.01, momentum
    /// 0.9, weight decay 1e-4: the best Ray Tune trial for RTX 2080 Ti), RMSE loss, 100 epochs.
    /// The batch size (64) is our assumption; the paper's logs do not state it.
    /// </summary>
    public static LatencyFitSettings PaperProtocol(ulong seed) => new()
    {
        Kind = LatencyModelKind.Mlp,
        Hidden = [400, 400, 400],
        NormalizeTarget = false,
        Training = new TrainingOptions
        {
            Epochs = 100,
            BatchSize = 64,
            Loss = LossKind.Rmse,
            Optimizer = new OptimizerSettings(OptimizerKind.Sgd, Momentum: 0.9, WeightDecay: 1e-4),
            Schedule = new LearningRateSchedule(ScheduleKind.Constant, 0.01),
            Patience = 0,
            Seed = seed,
        },
    };
}
