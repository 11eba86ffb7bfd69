using LatencyGate.Predictors;

namespace LatencyGate.Gating;

/// <summary>A device's latency predictor as the gate built it, with what the report should say about it.</summary>
internal sealed record BuiltPredictor(ILatencyPredictor Predictor, string Description, IReadOnlyList<string> Notes)
{
    /// <summary>For a proxy device: the proxy's own predictor and the rank agreement measured on this device.</summary>
    public ProxyUse? Proxy { get; init; }

    /// <summary>The held-out error recorded in the predictor file (file and generalized sources), when there is one.</summary>
    public HeldOutError? HeldOut { get; init; }

    /// <summary>The cache key of an adapted predictor: a proxy built on it keys on it too, as it hashes every input.</summary>
    public string? CacheKey { get; init; }
}

/// <summary>How a proxy device stands in for its target (OneProxy): the SRCC of the proxy's predictions on the target's measurements.</summary>
internal sealed record ProxyUse(string ProxyDevice, double Srcc, double SrccLower, double SrccUpper, int Measurements);
