namespace LatencyGate.Search;

/// <summary>Non-dominated outcomes: no other point is at most as slow and strictly more accurate, or strictly faster and as accurate.</summary>
internal static class Pareto
{
    public static ParetoFront Front(string device, IEnumerable<SearchOutcome> outcomes)
    {
        var sorted = outcomes
            .OrderBy(o => o.Best.Latencies[0].UpperMs)
            .ThenByDescending(o => o.Best.Accuracy)
            .ThenBy(o => o.Best.Latencies[0].BudgetMs)
            .ToList();
        var front = new List<SearchOutcome>();
        var bestAccuracy = double.NegativeInfinity;
        foreach (var o in sorted)
        {
            if (o.Best.Accuracy > bestAccuracy)
            {
                front.Add(o);
                bestAccuracy = o.Best.Accuracy;
            }
        }

        return new ParetoFront(device, front);
    }
}
