using LatencyGate.Spaces;

namespace LatencyGate.Search;

/// <summary>Latency of the chosen arch on one device, against that device's budget.</summary>
internal sealed record DeviceLatency(string Device, double BudgetMs, double LatencyMs, double UpperMs);

/// <summary>An arch with its objective score and its latency on each constrained device.</summary>
internal sealed record ScoredArch(Arch Arch, double Accuracy, IReadOnlyList<DeviceLatency> Latencies);

/// <summary>
/// The best arch found for one target: a device (per-device and sweep modes) or every device at
/// once ("shared"). <paramref name="Evaluations"/> counts distinct archs scored by the objective.
/// </summary>
internal sealed record SearchOutcome(string Target, ScoredArch Best, int Evaluations, int LatencyEvaluations);

/// <summary>A budget of a sweep that no sub-network meets, with the smallest latency reachable.</summary>
internal sealed record SkippedBudget(string Device, double BudgetMs, double SmallestReachableMs);

/// <summary>The non-dominated (latency, accuracy) points of one device's sweep, by increasing latency.</summary>
internal sealed record ParetoFront(string Device, IReadOnlyList<SearchOutcome> Points);

/// <summary>
/// What a search returns: one outcome per device (per-device), one for all devices (shared), or
/// one per device and budget plus a Pareto front per device (sweep).
/// </summary>
internal sealed record SearchResult(
    SearchMode Mode,
    string Objective,
    ulong Seed,
    double? Confidence,
    EvolutionOptions Options,
    IReadOnlyList<SearchOutcome> Outcomes,
    IReadOnlyList<ParetoFront> Fronts,
    IReadOnlyList<SkippedBudget> Skipped)
{
    /// <summary>
    /// True when the objective is the MACs proxy: each outcome's <c>Accuracy</c> then holds MACs in
    /// millions, which reports label as MACs, never as an accuracy.
    /// </summary>
    public bool ScoreIsMacs { get; init; }
}
