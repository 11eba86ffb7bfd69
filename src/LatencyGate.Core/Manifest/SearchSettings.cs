using LatencyGate.Diagnostics;
using LatencyGate.Search;

namespace LatencyGate.Manifest;

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
