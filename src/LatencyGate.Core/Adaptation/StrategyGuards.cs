using System.Globalization;
using LatencyGate.Diagnostics;

namespace LatencyGate.Adaptation;

internal static class StrategyGuards
{
    public static void RequireShots(IAdaptationStrategy strategy, IReadOnlyList<LatencyShot> shots)
    {
        if (shots.Count < strategy.MinimumShots)
        {
            throw new LatencyGateException(
                AdaptationErrors.TooFewShots,
                string.Create(CultureInfo.InvariantCulture, $"strategy '{strategy.Name}' needs at least {strategy.MinimumShots} measurements; got {shots.Count}"));
        }

        foreach (var s in shots)
        {
            if (!(s.LatencyMs > 0) || !double.IsFinite(s.LatencyMs))
            {
                throw new LatencyGateException(
                    AdaptationErrors.InvalidLatency,
                    string.Create(CultureInfo.InvariantCulture, $"measured latency {s.LatencyMs} for {s.Arch.CanonicalKey} is not a positive number of milliseconds"));
            }
        }
    }

    /// <summary>Deterministic fold of each shot: leave-one-out up to <paramref name="looLimit"/> shots, else <paramref name="folds"/> shuffled folds.</summary>
    public static int[] Folds(int n, ulong seed, int looLimit = 30, int folds = 5)
    {
        var assignment = new int[n];
        if (n <= looLimit)
        {
            for (var i = 0; i < n; i++)
            {
                assignment[i] = i;
            }

            return assignment;
        }

        var order = Enumerable.Range(0, n).ToArray();
        new Randomness.SeededRandom(seed).Shuffle(order.AsSpan());
        for (var i = 0; i < n; i++)
        {
            assignment[order[i]] = i % folds;
        }

        return assignment;
    }
}
