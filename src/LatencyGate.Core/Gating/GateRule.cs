using LatencyGate.Predictors;

namespace LatencyGate.Gating;

/// <summary>
/// The gate's decision for one prediction: fail when the gated latency (upper bound when a confidence
/// is set, point otherwise) is over the budget, warn when it is within the warn margin under it.
/// </summary>
internal static class GateRule
{
    public static double GatedMs(LatencyEstimate estimate, double? confidence) => confidence is null ? estimate.Ms : estimate.UpperMs;

    public static Verdict Decide(LatencyEstimate estimate, double? confidence, double budgetMs, double warnMarginMs)
    {
        var gated = GatedMs(estimate, confidence);
        if (!double.IsFinite(gated) || gated > budgetMs)
        {
            return Verdict.Fail;
        }

        return gated > budgetMs - warnMarginMs ? Verdict.Warn : Verdict.Pass;
    }
}
