using LatencyGate.Randomness;

namespace LatencyGate.Monotonicity;

/// <summary>Chooses which candidate archs to measure on a new device.</summary>
internal interface IShotSelector
{
    string Name { get; }

    /// <summary><paramref name="count"/> distinct rows of <paramref name="candidates"/> (indices into <paramref name="pool"/>).</summary>
    int[] Select(AdaptationPool pool, IReadOnlyList<int> candidates, int count, SeededRandom random);
}

/// <summary>The shot selectors compared on the development split (docs/monotonicity.md).</summary>
internal static class ShotSelection
{
    /// <summary>Uniformly random candidates.</summary>
    public static IShotSelector Random { get; } = new Selector("random", (pool, candidates, count, random) =>
    {
        var order = candidates.ToArray();
        random.Shuffle(order.AsSpan());
        return order[..Math.Min(count, order.Length)];
    });

    /// <summary>
    /// Stratified on the source devices' consensus: candidates sorted by the mean of the standardized
    /// source predictions, cut into <c>count</c> equal bins, one random candidate per bin, so the shots
    /// span the latency range the sources expect (the ends and the middle alike).
    /// </summary>
    public static IShotSelector Spread { get; } = new Selector("spread", (pool, candidates, count, random) =>
    {
        var order = candidates.OrderBy(i => pool.Priors[i].Average()).ThenBy(i => i).ToArray();
        count = Math.Min(count, order.Length);
        var chosen = new int[count];
        for (var b = 0; b < count; b++)
        {
            var start = (int)((long)b * order.Length / count);
            var end = (int)((long)(b + 1) * order.Length / count);
            chosen[b] = order[start + random.NextInt(end - start)];
        }

        return chosen;
    });

    /// <summary>
    /// Farthest-point in the space of standardized source predictions: a random first candidate, then
    /// repeatedly the candidate (of a random subset of 1,000) farthest from those already chosen.
    /// </summary>
    public static IShotSelector Diverse { get; } = new Selector("diverse", (pool, candidates, count, random) => FarthestPoint(candidates, count, random, i => pool.Priors[i]));

    /// <summary>As <see cref="Diverse"/>, in the space of the source predictions and the tier-0 structure features (op counts, whole-net work).</summary>
    public static IShotSelector DiverseStructure { get; } = new Selector("diverse+", (pool, candidates, count, random) =>
    {
        int[] tier0 = [.. Enumerable.Range(0, pool.StructuralTier.Count).Where(j => pool.StructuralTier[j] == 0)];
        var scale = Math.Sqrt((double)pool.Priors[0].Length / Math.Max(tier0.Length, 1));
        return FarthestPoint(candidates, count, random, i => [.. pool.Priors[i], .. tier0.Select(j => scale * pool.Structural[i][j])]);
    });

    private static int[] FarthestPoint(IReadOnlyList<int> candidates, int count, SeededRandom random, Func<int, double[]> embed)
    {
        var order = candidates.ToArray();
        random.Shuffle(order.AsSpan());
        var subset = order[..Math.Min(order.Length, 1000)];
        count = Math.Min(count, subset.Length);
        var points = subset.Select(embed).ToArray();
        var chosen = new List<int> { subset[0] };
        var distance = points.Select(p => Distance(p, points[0])).ToArray();
        while (chosen.Count < count)
        {
            var best = 0;
            for (var j = 1; j < subset.Length; j++)
            {
                if (distance[j] > distance[best])
                {
                    best = j;
                }
            }

            chosen.Add(subset[best]);
            for (var j = 0; j < subset.Length; j++)
            {
                distance[j] = Math.Min(distance[j], Distance(points[j], points[best]));
            }
        }

        return [.. chosen];
    }

    public static IReadOnlyList<IShotSelector> All { get; } = [Random, Spread, Diverse, DiverseStructure];

    /// <summary>The selector <c>sample --data</c> and <c>monotonicity</c>'s shot estimate use (chosen on nasflat-fbnet-dev).</summary>
    public static IShotSelector Best => DiverseStructure;

    private static double Distance(double[] a, double[] b)
    {
        var s = 0.0;
        for (var j = 0; j < a.Length; j++)
        {
            s += (a[j] - b[j]) * (a[j] - b[j]);
        }

        return s;
    }

    private sealed class Selector(string name, Func<AdaptationPool, IReadOnlyList<int>, int, SeededRandom, int[]> select) : IShotSelector
    {
        public string Name => name;

        public int[] Select(AdaptationPool pool, IReadOnlyList<int> candidates, int count, SeededRandom random) => select(pool, candidates, count, random);
    }
}
