namespace LatencyGate.Predictors;

using LatencyGate.Spaces;

/// <summary>What search maximizes: predicted top-1 accuracy (a fraction) or a documented proxy.</summary>
public interface IAccuracyObjective
{
    string Description { get; }

    void Score(ReadOnlySpan<Arch> archs, Span<double> scores);
}
