namespace LatencyGate.Gating;

/// <summary>Diagnostic codes of gate results and reports (LG0500–LG0549), documented in docs/diagnostics.md.</summary>
internal static class GateErrors
{
    /// <summary>A device's gated latency is over its budget.</summary>
    public const string OverBudget = "LG0500";

    /// <summary>A device is within budget but inside its warn margin.</summary>
    public const string WithinWarnMargin = "LG0501";

    /// <summary>Search found no sub-network within the device's budget.</summary>
    public const string NoArchFits = "LG0502";

    /// <summary>The best sub-network within budget is below the accuracy floor.</summary>
    public const string BelowAccuracyFloor = "LG0503";

    /// <summary>The device could not be evaluated.</summary>
    public const string DeviceError = "LG0504";

    /// <summary>A report file could not be written.</summary>
    public const string ReportWriteFailed = "LG0505";

    /// <summary>The device asked for (--device, LatencyGateDevice) is not in the manifest.</summary>
    public const string UnknownDevice = "LG0506";

    /// <summary>The search command was asked of a manifest without a search section.</summary>
    public const string NoSearchSettings = "LG0507";

    /// <summary>A measured device's interval straddles its budget: inconclusive (warn or fail as the manifest says).</summary>
    public const string Inconclusive = "LG0508";

    /// <summary>A measured device in search mode without a predictor to search with.</summary>
    public const string MeasuredNeedsPredictor = "LG0509";

    /// <summary>A measured device in a host that ships no measuring runtime (the MSBuild task).</summary>
    public const string CannotMeasureHere = "LG0510";

    /// <summary>A measured device's measurement was flagged unstable.</summary>
    public const string MeasurementUnstable = "LG0511";
}
