using LatencyGate.Predictors;

namespace LatencyGate.Search;

/// <summary>
/// Everything a search needs. <paramref name="Objective"/> is OFA's accuracy predictor when the
/// user has one, otherwise <see cref="MacsProxyObjective"/>. <paramref name="Resolutions"/> are the
/// input sizes to draw from (OFA's tutorial: 160, 176, 192, 208, 224).
/// </summary>
internal sealed record SearchRequest(IReadOnlyList<SearchDevice> Devices, IAccuracyObjective Objective, IReadOnlyList<int> Resolutions)
{
    public SearchMode Mode { get; init; } = SearchMode.PerDevice;

    public ulong Seed { get; init; }

    public EvolutionOptions Options { get; init; } = EvolutionOptions.Ofa;

    /// <summary>When set (e.g. 0.95), a budget constrains the upper bound of the predicted interval.</summary>
    public double? Confidence { get; init; }

    /// <summary>Sweep budgets for devices that do not carry their own.</summary>
    public SweepRange? Sweep { get; init; }

    /// <summary>
    /// When true, a budget no sub-network meets is listed in <see cref="SearchResult.Skipped"/> with
    /// the smallest latency reachable instead of failing the whole search (the gate reports it per device).
    /// </summary>
    public bool ReportInfeasible { get; init; }

    /// <summary>Counts generations for a host's progress display; never changes a result.</summary>
    internal SearchTally? Tally { get; init; }

    /// <summary>Threads to use; 0 means all cores. The result does not depend on it.</summary>
    public int MaxDegreeOfParallelism { get; init; }
}
