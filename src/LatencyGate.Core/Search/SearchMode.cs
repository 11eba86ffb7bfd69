namespace LatencyGate.Search;

/// <summary>What a search looks for.</summary>
internal enum SearchMode
{
    /// <summary>The most accurate arch for each device's own budget (one search per device, in parallel).</summary>
    PerDevice,

    /// <summary>One arch that meets every device's budget at once (an app that ships one model).</summary>
    Shared,

    /// <summary>A range of budgets per device, giving an accuracy/latency Pareto front.</summary>
    Sweep,
}
