namespace LatencyGate.Gating;

/// <summary>
/// One device's outcome as code embedding the gate sees it (<see cref="CheckOutcome.Devices"/>):
/// the verdict, the budget and the latency compared with it. The reports carry more; this is the
/// part of the public API that is frozen (src/LatencyGate.Core/PublicAPI.Shipped.txt).
/// </summary>
/// <param name="Device">The device's name in the manifest.</param>
/// <param name="Verdict">Pass, warn, fail, error, or skipped (filtered out).</param>
/// <param name="BudgetMs">The device's budget in milliseconds.</param>
/// <param name="PredictedMs">The point prediction (or measurement), or null when the device could not be evaluated.</param>
/// <param name="LowerMs">The interval's lower bound, or null when the predictor has no uncertainty model (as in the JSON report).</param>
/// <param name="UpperMs">The interval's upper bound, or null when the predictor has no uncertainty model.</param>
/// <param name="GatedMs">The value compared with the budget: <paramref name="UpperMs"/> when a confidence is set, else <paramref name="PredictedMs"/>.</param>
/// <param name="Predictor">What predicted the latency, in words.</param>
public sealed record DeviceVerdict(
    string Device,
    Verdict Verdict,
    double BudgetMs,
    double? PredictedMs,
    double? LowerMs,
    double? UpperMs,
    double? GatedMs,
    string Predictor)
{
    internal static DeviceVerdict Of(DeviceResult result)
    {
        var interval = GateFindings.HasInterval(result) ? result.Estimate : null;
        return new(
            result.Device,
            result.Verdict,
            result.BudgetMs,
            result.Estimate?.Ms,
            interval?.LowerMs,
            interval?.UpperMs,
            result.GatedMs,
            result.PredictorDescription);
    }
}
