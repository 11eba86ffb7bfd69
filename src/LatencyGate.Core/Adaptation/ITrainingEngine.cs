using LatencyGate.Learning;
using LatencyGate.Predictors;

namespace LatencyGate.Adaptation;

/// <summary>
/// What trains networks: <see cref="ManagedTrainingEngine"/> (our own engine, the default: light,
/// bit-identical whatever the thread count) or the TorchSharp engine (LatencyGate.Torch, autograd on
/// libtorch). Both train the same models toward the same objectives and write the same predictor
/// files; the choice changes how, not what (docs/learning.md, "Engines").
/// </summary>
/// <remarks>
/// The part a predictor fit needs (<see cref="INetworkTrainer"/>) lives in Learning, below Predictors;
/// fine-tuning names Adaptation's and Predictors' types, so the whole engine lives here.
/// </remarks>
internal interface ITrainingEngine : INetworkTrainer
{

    /// <summary>Fine-tunes every parameter toward the L2-SP objective of <see cref="NetworkFineTuner.Train"/> (strategy <c>full</c>).</summary>
    LearnedLatencyPredictor FineTune(NetworkFineTuner.Prepared data, int[]? rows, double lambda, ulong seed, FineTuneBudget budget);

    /// <summary>
    /// argmin ‖y − Xβ‖² + Σ penaltyⱼ (βⱼ − priorⱼ)² (strategy <c>head</c>: the output layer over the
    /// frozen trunk's features, pulled toward the base's).
    /// </summary>
    double[] PenalizedLeastSquares(double[][] x, double[] y, double[] penalty, double[]? prior);

    /// <summary>Predicts with a (learned or adapted) predictor's networks evaluated by this engine: how a file is read by it.</summary>
    void Predict(ILatencyPredictor predictor, ReadOnlySpan<Spaces.Arch> archs, Span<double> latencyMs);
}

/// <summary>Our own engine: <see cref="MlpTrainer"/>, <see cref="NetworkFineTuner"/> and the closed-form ridge solve.</summary>
internal sealed class ManagedTrainingEngine : ITrainingEngine
{
    public const string EngineName = "managed";

    /// <summary>Every engine name a host may offer (the CLI has both; the MSBuild task only this one).</summary>
    public static readonly IReadOnlyList<string> EngineNames = [EngineName, "torch"];

    public static ManagedTrainingEngine Instance { get; } = new();

    public string Name => EngineName;

    public TrainingResult Train(Mlp model, float[] inputs, float[] targets, float[]? validationInputs, float[]? validationTargets, TrainingOptions options, TargetScaler? targetScaler = null) =>
        MlpTrainer.Train(model, inputs, targets, validationInputs, validationTargets, options, targetScaler);

    public LearnedLatencyPredictor FineTune(NetworkFineTuner.Prepared data, int[]? rows, double lambda, ulong seed, FineTuneBudget budget) =>
        NetworkFineTuner.Train(data, rows, lambda, seed, budget);

    public double[] PenalizedLeastSquares(double[][] x, double[] y, double[] penalty, double[]? prior) =>
        LatencyGate.Numerics.LinearSolve.Ridge(x, y, penalty, prior);

    public void Predict(ILatencyPredictor predictor, ReadOnlySpan<Spaces.Arch> archs, Span<double> latencyMs) =>
        predictor.Predict(archs, latencyMs);
}
