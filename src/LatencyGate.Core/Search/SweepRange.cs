namespace LatencyGate.Search;

/// <summary><paramref name="Steps"/> budgets evenly spaced from <paramref name="MinMs"/> to <paramref name="MaxMs"/> (both included).</summary>
internal sealed record SweepRange(double MinMs, double MaxMs, int Steps)
{
    public IReadOnlyList<double> Budgets()
    {
        if (Steps == 1)
        {
            return [MaxMs];
        }

        var budgets = new double[Steps];
        for (var i = 0; i < Steps; i++)
        {
            budgets[i] = MinMs + ((MaxMs - MinMs) * i / (Steps - 1));
        }

        return budgets;
    }
}
