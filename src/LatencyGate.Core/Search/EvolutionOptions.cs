using System.Globalization;
using LatencyGate.Diagnostics;

namespace LatencyGate.Search;

/// <summary>
/// Hyper-parameters of the evolutionary search. The defaults are OFA's EvolutionFinder's
/// (population 100, 500 generations, 25 % parents, 50 % of children by mutation, per-gene mutation
/// probability 0.1); <see cref="Thorough"/> spends more evaluations for a better answer.
/// </summary>
internal sealed record EvolutionOptions
{
    public static EvolutionOptions Ofa { get; } = new();

    /// <summary>Independent restarts plus a local search around the best: see docs/search.md.</summary>
    public static EvolutionOptions Thorough { get; } = new() { Restarts = 2, LocalSearch = true, PerturbationRounds = 100 };

    public int PopulationSize { get; init; } = 100;

    public int Generations { get; init; } = 500;

    public double ParentRatio { get; init; } = 0.25;

    public double MutationRatio { get; init; } = 0.5;

    public double MutationProbability { get; init; } = 0.1;

    /// <summary>Independent evolution runs (each with its own random stream); the best wins.</summary>
    public int Restarts { get; init; } = 1;

    /// <summary>After evolution, climb from the best arch through one- and two-gene changes.</summary>
    public bool LocalSearch { get; init; }

    /// <summary>Iterated-local-search rounds after the first climb (perturb, climb, keep if better); needs <see cref="LocalSearch"/>.</summary>
    public int PerturbationRounds { get; init; }

    /// <summary>Per-gene mutation probability of an iterated-local-search perturbation.</summary>
    public double PerturbationProbability { get; init; } = 0.15;

    /// <summary>Bound on local-search moves per climb (each move strictly improves the objective).</summary>
    public int MaxLocalSearchSteps { get; init; } = 50;

    /// <summary>
    /// Bound on OFA's "mutate (or cross) until the child fits" loop, in batched rounds; a child
    /// that still does not fit is replaced by its (feasible) parent.
    /// </summary>
    public int MaxRejectionRounds { get; init; } = 64;

    /// <summary>Bound on random draws for the initial population, in batches of one population.</summary>
    public int MaxInitialBatches { get; init; } = 200;

    public int ParentCount => (int)Math.Round(ParentRatio * PopulationSize, MidpointRounding.ToEven);

    public int MutationCount => (int)Math.Round(MutationRatio * PopulationSize, MidpointRounding.ToEven);

    internal void Validate()
    {
        var errors = new DiagnosticBag();
        void Check(bool ok, string what)
        {
            if (!ok)
            {
                errors.Error(SearchErrors.InvalidOption, what);
            }
        }

        Check(PopulationSize >= 2, Text($"population size is {PopulationSize}; expected at least 2"));
        Check(Generations >= 0, Text($"generations is {Generations}; expected 0 or more"));
        Check(ParentRatio > 0 && ParentRatio <= 1 && ParentCount >= 1, Text($"parent ratio is {ParentRatio}; expected a fraction in (0, 1] giving at least one parent"));
        Check(MutationRatio >= 0 && MutationRatio <= 1, Text($"mutation ratio is {MutationRatio}; expected a fraction in [0, 1]"));
        Check(MutationProbability >= 0 && MutationProbability <= 1, Text($"mutation probability is {MutationProbability}; expected a probability in [0, 1]"));
        Check(Restarts >= 1, Text($"restarts is {Restarts}; expected at least 1"));
        Check(MaxLocalSearchSteps >= 0, Text($"max local search steps is {MaxLocalSearchSteps}; expected 0 or more"));
        Check(PerturbationRounds >= 0, Text($"perturbation rounds is {PerturbationRounds}; expected 0 or more"));
        Check(PerturbationProbability > 0 && PerturbationProbability <= 1, Text($"perturbation probability is {PerturbationProbability}; expected a probability in (0, 1]"));
        Check(MaxRejectionRounds >= 1, Text($"max rejection rounds is {MaxRejectionRounds}; expected at least 1"));
        Check(MaxInitialBatches >= 1, Text($"max initial batches is {MaxInitialBatches}; expected at least 1"));
        errors.ThrowIfErrors();
    }

    private static string Text(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
