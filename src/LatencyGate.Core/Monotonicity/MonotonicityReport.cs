namespace LatencyGate.Monotonicity;

/// <summary>A correlation with its bootstrap percentile interval (95 %).</summary>
internal sealed record CorrelationCell(double Value, double Lower, double Upper);

/// <summary>How many target measurements adaptation needs, and how that was estimated.</summary>
internal sealed record AdaptationEstimate(string Target, string Proxy, double ProxySrcc, int? Shots, double? AdaptedSrcc, string Method);

/// <summary>The output of <c>monotonicity</c>: matrices, the proxy cover and the adaptation estimates.</summary>
internal sealed record MonotonicityReport(
    IReadOnlyList<string> Devices,
    int Rows,
    string ArchSpace,
    double Threshold,
    int BootstrapSamples,
    ulong Seed,
    IReadOnlyList<IReadOnlyList<CorrelationCell>> Spearman,
    IReadOnlyList<IReadOnlyList<CorrelationCell>> Kendall,
    string BestSingleProxy,
    IReadOnlyList<string> BestSingleProxyCovers,
    IReadOnlyList<ProxyCover> Cover,
    IReadOnlyList<AdaptationEstimate> Adaptation);

/// <summary>One proxy of the greedy cover and the targets it serves at SRCC ≥ the threshold.</summary>
internal sealed record ProxyCover(string Proxy, IReadOnlyList<string> Targets);
