using LatencyGate.Diagnostics;

namespace LatencyGate.Manifest;

/// <summary>What search maximizes: OFA's accuracy predictor (a file) or the MACs proxy when none is given.</summary>
internal sealed record AccuracyObjectiveSpec(PathRef? Predictor, SourceLocation Location)
{
    public bool IsMacsProxy => Predictor is null;
}
