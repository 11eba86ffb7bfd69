namespace LatencyGate.Diagnostics;

/// <summary>Warnings about how far a gate's verdict can be trusted (LG0060–LG0069), documented in docs/diagnostics.md.</summary>
internal static class TrustCodes
{
    /// <summary>A device sets a confidence, but its predictor has no uncertainty model: the point prediction is gated.</summary>
    public const string NoUncertaintyModel = "LG0060";

    /// <summary>A device's predictor has a poor (or unknown) held-out error: its verdict rests on a weak predictor.</summary>
    public const string PoorHeldOutError = "LG0061";
}
