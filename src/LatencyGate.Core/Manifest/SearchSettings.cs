using LatencyGate.Diagnostics;

namespace LatencyGate.Manifest;

internal enum SearchMode
{
    /// <summary>The most accurate arch for each device's own budget.</summary>
    PerDevice,

    /// <summary>One arch that meets every device's budget at once.</summary>
    Shared,
}

/// <summary>OFA evolutionary search settings; defaults are OFA's (population 100, 500 generations, …).</summary>
internal sealed record SearchSettings(
    Located<SearchMode> Mode,
    Located<IReadOnlyList<int>> Resolutions,
    Located<int> Population,
    Located<int> Generations,
    Located<double> ParentRatio,
    Located<double> MutationRatio,
    Located<double> MutationProbability,
    Located<ulong> Seed,
    Located<bool> Thorough,
    Located<double>? AccuracyFloor,
    SourceLocation Location)
{
    public const int DefaultPopulation = 100;
    public const int DefaultGenerations = 500;
    public const double DefaultParentRatio = 0.25;
    public const double DefaultMutationRatio = 0.5;
    public const double DefaultMutationProbability = 0.1;
    public const ulong DefaultSeed = 0;
}
