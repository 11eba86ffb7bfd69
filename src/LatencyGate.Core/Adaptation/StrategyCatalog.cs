using LatencyGate.Diagnostics;

namespace LatencyGate.Adaptation;

/// <summary>The strategies by name (the values of <c>fit --strategy</c>).</summary>
internal static class StrategyCatalog
{
    public static IReadOnlyList<string> Names { get; } = ["head", "full", "affine", "adaproxy", "constant", "rescale", SourcePriorStrategy.StrategyName, "auto"];

    /// <summary>The concrete strategies auto chooses among.</summary>
    public static IReadOnlyList<IAdaptationStrategy> Concrete { get; } = ConcreteFor(null);

    /// <summary>The concrete strategies, head and full training with <paramref name="engine"/> (managed when null).</summary>
    public static IReadOnlyList<IAdaptationStrategy> ConcreteFor(ITrainingEngine? engine) =>
        [new HeadStrategy(engine), new FullStrategy(null, engine), new AffineStrategy(), new AdaProxyStrategy(), new ConstantStrategy(), new RescaleStrategy()];

    public static IAdaptationStrategy Get(string name, SourceLocation? location = null, ITrainingEngine? engine = null) => name.ToLowerInvariant() switch
    {
        "head" => new HeadStrategy(engine),
        "full" => new FullStrategy(null, engine),
        "affine" => new AffineStrategy(),
        "adaproxy" => new AdaProxyStrategy(),
        ConstantStrategy.StrategyName => new ConstantStrategy(),
        RescaleStrategy.StrategyName => new RescaleStrategy(),
        SourcePriorStrategy.StrategyName => new SourcePriorStrategy(),
        "auto" => new AutoStrategy(engine is null ? null : ConcreteFor(engine)),
        _ => throw new LatencyGateException(AdaptationErrors.UnknownStrategy, $"unknown adaptation strategy '{name}'; expected one of {string.Join(", ", Names)}", location),
    };
}
