using System.Globalization;
using LatencyGate.Monotonicity;
using LatencyGate.Predictors;
using LatencyGate.Spaces;

namespace LatencyGate.Adaptation;

/// <summary>
/// A multi-source base for OFA (<c>fit --data SOURCES.csv --columns A,B,…</c>, model kind
/// <c>source-prior</c>): the <see cref="SourcePrior"/> of several measured devices over
/// <see cref="OfaAdaptationFeatures"/>. Adapted with <see cref="SourcePriorStrategy"/> (what <c>auto</c>
/// does with such a base); on its own it predicts the mean of the sources' structure models, a typical
/// device of the set rather than any one.
/// </summary>
internal sealed class SourcePriorPredictor : PointPredictor
{
    public SourcePriorPredictor(SourcePrior prior, OfaSpace space)
        : base(space)
    {
        ArgumentNullException.ThrowIfNull(prior);
        if (!string.Equals(prior.Space, space.Name, StringComparison.Ordinal) || prior.FeatureCount != OfaAdaptationFeatures.StructuralNames.Count)
        {
            throw new ArgumentException($"the source prior is for '{prior.Space}' with {prior.FeatureCount} features, not {space.Name}", nameof(prior));
        }

        Prior = prior;
    }

    public SourcePrior Prior { get; }

    public override string Description => string.Create(CultureInfo.InvariantCulture, $"source prior over {Prior.Sources.Count} device(s) ({string.Join(", ", Prior.Sources)}): mean of their structure models");

    public override double PredictOne(Arch arch) => Prior.Consensus(OfaAdaptationFeatures.Structural(arch, Space));
}

/// <summary>A device adapted from a <see cref="SourcePriorPredictor"/> by <see cref="SourcePriorStrategy"/>.</summary>
internal sealed class SourcePriorAdaptedPredictor : PointPredictor
{
    public SourcePriorAdaptedPredictor(SourcePriorPredictor basePredictor, SourcePriorAdaptation adaptation, int shots)
        : base(basePredictor.Space)
    {
        Base = basePredictor;
        Adaptation = adaptation;
        Shots = shots;
    }

    public SourcePriorPredictor Base { get; }

    public SourcePriorAdaptation Adaptation { get; }

    /// <summary>How many shots it was fit on (for its description).</summary>
    public int Shots { get; }

    public override string Description => string.Create(CultureInfo.InvariantCulture, $"{SourcePriorStrategy.StrategyName}: {ProxyAdapters.Best.Name} from {Base.Prior.Sources.Count} source device(s) ({string.Join(", ", Base.Prior.Sources)}), {Shots} shot(s), mean of {Adaptation.Models.Count} ridge fit(s)");

    public override double PredictOne(Arch arch) => Adaptation.Predict(OfaAdaptationFeatures.Structural(arch, Space));
}

/// <summary>
/// The transfer method of nasflat-fbnet on OFA: a <see cref="SourcePriorPredictor"/> base adapted to
/// the new device from its shots with <see cref="SourcePrior.Adapt"/> (each source's structure model a
/// prior column, structure features penalized by how little the sources used them, the three best
/// penalty profiles by leave-one-out averaged). Only a source-prior base supports it.
/// </summary>
internal sealed class SourcePriorStrategy : IAdaptationStrategy
{
    public const string StrategyName = "source-prior";

    public string Name => StrategyName;

    public int MinimumShots => 3;

    public bool Supports(ILatencyPredictor basePredictor) => basePredictor is SourcePriorPredictor;

    public ILatencyPredictor Adapt(ILatencyPredictor basePredictor, IReadOnlyList<LatencyShot> shots, ulong seed)
    {
        StrategyGuards.RequireShots(this, shots);
        if (basePredictor is not SourcePriorPredictor prior)
        {
            throw new Diagnostics.LatencyGateException(Diagnostics.TransferErrors.SourcePriorOnly, $"strategy {StrategyName} adapts a source-prior base (made by fit --data SOURCES.csv --columns A,B,…); '{basePredictor.Description}' is not one");
        }

        var features = shots.Select(s => OfaAdaptationFeatures.Structural(s.Arch, prior.Space)).ToArray();
        var adaptation = prior.Prior.Adapt(features, [.. shots.Select(s => s.LatencyMs)]);
        return new SourcePriorAdaptedPredictor(prior, adaptation, shots.Count);
    }
}
