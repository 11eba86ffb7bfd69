using LatencyGate.Manifest;
using LatencyGate.Predictors;

namespace LatencyGate.Gating;

/// <summary>What the deciding steps of one gate run share.</summary>
internal sealed record GateContext(
    LatencyGateManifest Manifest,
    IReadOnlyList<DeviceSpec> Devices,
    IReadOnlyDictionary<string, BuiltPredictor> Predictors,
    IAccuracyObjective Objective,
    int MaxDegreeOfParallelism,
    CancellationToken CancellationToken)
{
    /// <summary>The accuracy figure to report: only a real accuracy predictor gives one (the MACs proxy is not an accuracy).</summary>
    public double? AccuracyOf(Spaces.Arch arch)
    {
        if (Objective is Search.MacsProxyObjective)
        {
            return null;
        }

        var score = new double[1];
        Objective.Score([arch], score);
        return score[0];
    }

    /// <summary>The measuring runtimes of the host (null: the host measures nothing, e.g. the MSBuild task).</summary>
    public Measuring.RuntimeRegistry? Runtimes { get; init; }

    /// <summary>Worker threads to use; results never depend on it.</summary>
    public int Degree => MaxDegreeOfParallelism > 0 ? MaxDegreeOfParallelism : Environment.ProcessorCount;

    /// <summary>
    /// What ranked the archs, always named: OFA's accuracy predictor, or the MACs proxy (whose
    /// score is no accuracy, so <see cref="AccuracyOf"/> gives none and the reports say why).
    /// </summary>
    public string? AccuracySource => Objective.Description;
}
