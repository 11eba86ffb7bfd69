using System.Globalization;

namespace LatencyGate.Manifest;

/// <summary>
/// How close under budget a device may come before its verdict turns from pass to warn: either a
/// fraction of the budget (manifest: a plain number such as 0.1, or "10%") or milliseconds ("2ms").
/// </summary>
internal sealed record WarnMargin(double Value, bool IsMilliseconds)
{
    public static WarnMargin Default { get; } = new(0.1, false);

    /// <summary>The margin in milliseconds for a given budget.</summary>
    public double MillisecondsFor(double budgetMs) => IsMilliseconds ? Value : Value * budgetMs;

    public override string ToString() => IsMilliseconds
        ? string.Create(CultureInfo.InvariantCulture, $"{Value:0.###} ms")
        : string.Create(CultureInfo.InvariantCulture, $"{Value * 100:0.###}% of the budget");
}
