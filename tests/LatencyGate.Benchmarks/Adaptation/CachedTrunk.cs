using System.Collections.Concurrent;
using LatencyGate.Predictors;
using LatencyGate.Spaces;

namespace LatencyGate.Benchmarks.Adaptation;

/// <summary>Memoizes a trunk's hidden activations per arch: the benchmark refits heads hundreds of times on the same archs.</summary>
internal sealed class CachedTrunk(ITrunkModel inner) : ITrunkModel
{
    private readonly ConcurrentDictionary<Arch, double[]> _cache = new();

    public string Description => inner.Description;

    public OfaSpace Space => inner.Space;

    public IntervalMethod IntervalMethod => inner.IntervalMethod;

    public int HiddenSize => inner.HiddenSize;

    public ReadOnlySpan<double> OutputWeights => inner.OutputWeights;

    public double OutputBias => inner.OutputBias;

    public double TargetScale => inner.TargetScale;

    public double TargetShift => inner.TargetShift;

    public void Hidden(Arch arch, Span<double> hidden) => _cache.GetOrAdd(arch, a =>
    {
        var h = new double[inner.HiddenSize];
        inner.Hidden(a, h);
        return h;
    }).CopyTo(hidden);

    public void Predict(ReadOnlySpan<Arch> archs, Span<double> latencyMs) => inner.Predict(archs, latencyMs);

    public void PredictWithInterval(ReadOnlySpan<Arch> archs, double confidence, Span<LatencyEstimate> estimates) => inner.PredictWithInterval(archs, confidence, estimates);
}
