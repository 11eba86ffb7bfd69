using LatencyGate.Diagnostics;

namespace LatencyGate.Measuring;

/// <summary>
/// The measuring runtimes a host ships (the CLI registers ONNX Runtime and, where present,
/// TorchSharp; the MSBuild task registers none). Names are read without regard to case, as
/// <c>measure --runtime</c> reads them (a manifest's <c>runtime: OnnxRuntime</c> was LG0800).
/// Resolving an unknown name is LG0800 with a did-you-mean, listing the known ones.
/// </summary>
internal sealed class RuntimeRegistry
{
    private readonly Dictionary<string, Func<IMeasurementRuntime>> _factories = new(StringComparer.OrdinalIgnoreCase);

    public IReadOnlyList<string> Names => [.. _factories.Keys.Order(StringComparer.Ordinal)];

    public RuntimeRegistry Register(string name, Func<IMeasurementRuntime> factory)
    {
        _factories[name] = factory;
        return this;
    }

    public bool Contains(string name) => _factories.ContainsKey(name);

    public IMeasurementRuntime Resolve(string name, SourceLocation? location = null) =>
        _factories.TryGetValue(name, out var factory)
            ? factory()
            : throw new LatencyGateException(
                MeasuringErrors.UnknownRuntime,
                _factories.Count == 0
                    ? $"no measuring runtime '{EchoText.Cut(name)}' here: this host measures nothing (run `dotnet latency-gate` on the machine to measure)"
                    : $"no measuring runtime '{EchoText.Cut(name)}'{DidYouMean.Hint(name, Names)}; available: {string.Join(", ", Names)}",
                location);
}
