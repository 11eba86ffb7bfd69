using LatencyGate.Randomness;
using LatencyGate.Spaces;

namespace LatencyGate.Search;

/// <summary>
/// One roll-out of OFA's EvolutionFinder.run_evolution_search: a random feasible population, then
/// per generation the top <see cref="EvolutionOptions.ParentCount"/> survive and breed
/// <see cref="EvolutionOptions.MutationCount"/> mutants and the rest by crossover, each child
/// re-drawn until it fits the budget. Unlike OFA, a generation's children are drawn together and
/// predicted in one batch per round, the retry loop is bounded (a child that never fits becomes
/// a copy of its parent), and the last generation's children compete for the best too.
/// </summary>
internal static class EvolutionRun
{
    public static Arch Run(CandidateEvaluator evaluator, ArchSampler sampler, EvolutionOptions options, SeededRandom random, IReadOnlyList<Arch> seeds, SearchTally? tally = null, CancellationToken cancellationToken = default)
    {
        var n = options.PopulationSize;
        var population = InitialPopulation(evaluator, sampler, options, random, seeds);
        var scores = new double[population.Length];
        evaluator.Score(population, scores);
        var best = population[ArgMax(scores)];
        var bestScore = scores.Max();

        var parentCount = Math.Min(options.ParentCount, n);
        var mutationCount = options.MutationCount;
        var childCount = n;
        var parents = new Arch[parentCount];
        var children = new Arch[childCount];
        var childScores = new double[childCount];
        var firstParent = new int[childCount];
        var secondParent = new int[childCount];
        for (var generation = 0; generation < options.Generations; generation++)
        {
            // Checked each generation: a large search (population and generations are unbounded) ends promptly on Ctrl-C.
            cancellationToken.ThrowIfCancellationRequested();
            var order = TopIndices(scores, parentCount);
            var parentScores = new double[parentCount];
            for (var i = 0; i < parentCount; i++)
            {
                parents[i] = population[order[i]];
                parentScores[i] = scores[order[i]];
            }

            for (var j = 0; j < childCount; j++)
            {
                firstParent[j] = random.NextInt(parentCount);
                secondParent[j] = j < mutationCount ? -1 : random.NextInt(parentCount);
            }

            BreedFeasible(evaluator, sampler, options, random, parents, firstParent, secondParent, children);
            evaluator.Score(children, childScores);

            population = [.. parents, .. children];
            scores = [.. parentScores, .. childScores];
            var top = ArgMax(scores);
            if (scores[top] > bestScore)
            {
                bestScore = scores[top];
                best = population[top];
            }

            tally?.Generation();
        }

        return best;
    }

    private static Arch[] InitialPopulation(CandidateEvaluator evaluator, ArchSampler sampler, EvolutionOptions options, SeededRandom random, IReadOnlyList<Arch> seeds)
    {
        var n = options.PopulationSize;
        var population = new List<Arch>(n);
        var draws = new Arch[n];
        for (var round = 0; round < options.MaxInitialBatches && population.Count < n; round++)
        {
            for (var i = 0; i < n; i++)
            {
                draws[i] = sampler.Sample(random);
            }

            evaluator.EnsureLatency(draws);
            foreach (var a in draws)
            {
                if (population.Count < n && evaluator.Fits(a))
                {
                    population.Add(a);
                }
            }
        }

        // A budget so tight that random draws almost never fit: grow the rest from the feasible
        // archs found so far (the feasibility check guarantees at least one seed) by mutation.
        var pool = population.Count > 0 ? population.ToArray() : seeds.ToArray();
        if (population.Count < n)
        {
            var missing = n - population.Count;
            var parents = new int[missing];
            var none = new int[missing];
            var grown = new Arch[missing];
            for (var i = 0; i < missing; i++)
            {
                parents[i] = i % pool.Length;
                none[i] = -1;
            }

            BreedFeasible(evaluator, sampler, options, random, pool, parents, none, grown);
            population.AddRange(grown);
        }

        return [.. population];
    }

    /// <summary>
    /// Fills <paramref name="children"/>: child j is a mutant of parents[first[j]] (second[j] &lt; 0)
    /// or a crossover of parents[first[j]] and parents[second[j]], re-drawn in batched rounds until
    /// it fits, at most <see cref="EvolutionOptions.MaxRejectionRounds"/> times, else the first parent.
    /// </summary>
    internal static void BreedFeasible(
        CandidateEvaluator evaluator,
        ArchSampler sampler,
        EvolutionOptions options,
        SeededRandom random,
        Arch[] parents,
        int[] first,
        int[] second,
        Arch[] children)
    {
        var pending = new List<int>(children.Length);
        for (var j = 0; j < children.Length; j++)
        {
            pending.Add(j);
        }

        var candidates = new Arch[children.Length];
        for (var round = 0; round < options.MaxRejectionRounds && pending.Count > 0; round++)
        {
            for (var k = 0; k < pending.Count; k++)
            {
                var j = pending[k];
                candidates[k] = second[j] < 0
                    ? sampler.Mutate(parents[first[j]], options.MutationProbability, random)
                    : ArchSampler.Crossover(parents[first[j]], parents[second[j]], random);
            }

            evaluator.EnsureLatency(candidates.AsSpan(0, pending.Count));
            var still = new List<int>(pending.Count);
            for (var k = 0; k < pending.Count; k++)
            {
                if (evaluator.Fits(candidates[k]))
                {
                    children[pending[k]] = candidates[k];
                }
                else
                {
                    still.Add(pending[k]);
                }
            }

            pending = still;
        }

        foreach (var j in pending)
        {
            children[j] = parents[first[j]];
        }
    }

    internal static int ArgMax(ReadOnlySpan<double> values)
    {
        var best = 0;
        for (var i = 1; i < values.Length; i++)
        {
            if (values[i] > values[best])
            {
                best = i;
            }
        }

        return best;
    }

    /// <summary>Indices of the <paramref name="count"/> highest scores, best first; ties keep the earlier index first.</summary>
    internal static int[] TopIndices(double[] scores, int count)
    {
        var index = new int[scores.Length];
        for (var i = 0; i < index.Length; i++)
        {
            index[i] = i;
        }

        Array.Sort(index, (a, b) =>
        {
            var c = scores[b].CompareTo(scores[a]);
            return c != 0 ? c : a.CompareTo(b);
        });
        return index[..Math.Min(count, index.Length)];
    }
}
