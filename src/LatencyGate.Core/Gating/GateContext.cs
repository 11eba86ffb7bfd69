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

    /// <summary>How the host measures a measured device's arch (null: it cannot, LG0510).</summary>
    public Measuring.IArchMeasurer? Measurer { get; init; }

    /// <summary>Where the run reports what it is doing (the host shows it); null for none.</summary>
    public IProgress<Diagnostics.WorkProgress>? Progress { get; init; }

    /// <summary>The generations of every search of this run, as one progress phase (null: not counted).</summary>
    public Search.SearchTally? Searching { get; init; }

    /// <summary>Worker threads to use; results never depend on it.</summary>
    public int Degree => MaxDegreeOfParallelism > 0 ? MaxDegreeOfParallelism : Environment.ProcessorCount;

    /// <summary>
    /// What ranked the archs, always named: OFA's accuracy predictor, or the MACs proxy (whose
    /// score is no accuracy, so <see cref="AccuracyOf"/> gives none and the reports say why).
    /// </summary>
    public string? AccuracySource => Objective.Description;
}
