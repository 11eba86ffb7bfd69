using LatencyGate.Diagnostics;

namespace LatencyGate.Measuring;

/// <summary>
/// The measuring runtimes a host ships (the CLI registers ONNX Runtime and, where present,
/// TorchSharp; the MSBuild task registers none). Resolving an unknown name is LG0800 listing the
/// known ones.
/// </summary>
internal sealed class RuntimeRegistry
{
    private readonly Dictionary<string, Func<IMeasurementRuntime>> _factories = new(StringComparer.Ordinal);

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
                    ? $"no measuring runtime '{name}' here: this host measures nothing (run `dotnet latency-gate` on the machine to measure)"
                    : $"no measuring runtime '{name}'; available: {string.Join(", ", Names)}",
                location);
}
