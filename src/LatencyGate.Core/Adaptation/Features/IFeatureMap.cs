using LatencyGate.Spaces;

namespace LatencyGate.Adaptation.Features;

/// <summary>Turns an arch into a fixed-length real vector (deterministic, thread-safe).</summary>
internal interface IFeatureMap
{
    string Name { get; }

    IReadOnlyList<string> FeatureNames { get; }

    void Compute(Arch arch, Span<double> features);
}
