namespace LatencyGate.Diagnostics;

/// <summary>Diagnostic codes of the learning engine, predictors and measurements (LG0150–LG0199, docs/diagnostics.md).</summary>
internal static class LearningErrors
{
    /// <summary>A measurements CSV row is bad: unparseable arch, empty/NaN/negative/non-numeric latency.</summary>
    public const string BadMeasurementRow = "LG0150";

    /// <summary>A measurements CSV lacks a needed column (arch or flat arch columns, latency column) or has no header.</summary>
    public const string MissingMeasurementColumn = "LG0151";

    /// <summary>A column the reader takes (the arch, the latency, a flat arch column) is named twice in the header (from the LG0860 block).</summary>
    public const string DuplicateMeasurementColumn = "LG0861";

    /// <summary>A measurements file cannot be read or holds no rows.</summary>
    public const string MeasurementsUnreadable = "LG0152";

    /// <summary>A predictor file is not a LatencyGate latency/accuracy predictor we understand (format, kind, tensors).</summary>
    public const string PredictorUnreadable = "LG0153";

    /// <summary>Too few measurements to fit the requested model.</summary>
    public const string TooFewMeasurements = "LG0154";

    /// <summary>A predictor was made for another space than the one requested.</summary>
    public const string SpaceMismatch = "LG0155";

    /// <summary>Warning: a fit's own evaluation is weak (Spearman below 0.5, or fewer than 10 archs evaluated); the file is still written.</summary>
    public const string WeakFitEvaluation = "LG0158";

    /// <summary>Bad fit option (unknown model kind, non-positive epochs...).</summary>
    public const string BadFitOption = "LG0156";
}
