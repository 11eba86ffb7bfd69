namespace LatencyGate.Diagnostics;

/// <summary>Diagnostic codes for adaptation, generalization and intervals (LG0200–LG0299, see docs/diagnostics.md).</summary>
internal static class AdaptationErrors
{
    /// <summary>Unknown adaptation strategy name.</summary>
    public const string UnknownStrategy = "LG0200";

    /// <summary>A hardware spec field that is missing, not a number or not positive.</summary>
    public const string InvalidHardwareSpec = "LG0201";

    /// <summary>Too few measurements for what was asked (shots, calibration).</summary>
    public const string TooFewShots = "LG0202";

    /// <summary>The strategy cannot adapt this kind of base predictor (e.g. head on a lookup table).</summary>
    public const string IncompatibleBase = "LG0203";

    /// <summary>A measured latency that is not a positive finite number.</summary>
    public const string InvalidLatency = "LG0204";

    /// <summary>A confidence outside (0, 1).</summary>
    public const string InvalidConfidence = "LG0205";

    /// <summary>Warning: more shots were asked for than there are measurements, so all are shots and none is held out.</summary>
    public const string ShotsCapped = "LG0206";

    /// <summary>The adapted predictor cannot be stored in a predictor file (e.g. the base is itself an adapted predictor file).</summary>
    public const string NotStorable = "LG0207";

    /// <summary>--strategy or --shots without --base.</summary>
    public const string NeedsBase = "LG0208";

    /// <summary>Warning: interval calibration measurements overlap the base's training archs, and too few others were left, so the intervals were widened.</summary>
    public const string IntervalsWidened = "LG0209";

    /// <summary>An adapted predictor file's base is a built-in lookup-table profile whose content (sha256) differs from this tool's.</summary>
    public const string BuiltinBaseChanged = "LG0260";

    /// <summary>An adapted predictor file's embedded lookup tables do not match the sha256 recorded with them (edited or corrupt).</summary>
    public const string EmbeddedTablesAltered = "LG0261";

    /// <summary>A generalized source names a predictor file that is not a hardware-generalized model for this space.</summary>
    public const string NotGeneralized = "LG0230";
}
