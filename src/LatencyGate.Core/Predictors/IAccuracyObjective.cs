using LatencyGate.Spaces;

namespace LatencyGate.Predictors;

/// <summary>What search maximizes: predicted top-1 accuracy (a fraction) or a documented proxy.</summary>
internal interface IAccuracyObjective
{
    string Description { get; }

    void Score(ReadOnlySpan<Arch> archs, Span<double> scores);
}
