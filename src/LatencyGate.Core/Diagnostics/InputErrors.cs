namespace LatencyGate.Diagnostics;

/// <summary>Codes for inputs that are present but unusable, and for outputs that cannot be written (see docs/diagnostics.md).</summary>
internal static class InputErrors
{
    /// <summary>A predictor gave a latency that is not a positive finite number: never a pass.</summary>
    public const string PredictedLatencyInvalid = "LG0043";

    /// <summary>A lookup-table entry whose mean is negative (or not finite).</summary>
    public const string LutMeanOutOfRange = "LG0044";

    /// <summary>An output path (--out, a report or table folder) that cannot be written.</summary>
    public const string OutputUnwritable = "LG0045";

    /// <summary>An input folder that cannot be walked (unreadable, too deep, too many entries).</summary>
    public const string FolderUnwalkable = "LG0046";

    /// <summary>A search <c>accuracy_floor</c> with the MACs proxy objective, which has no accuracy to compare.</summary>
    public const string AccuracyFloorWithoutPredictor = "LG0433";

    /// <summary>Measured latencies a model cannot be fitted to (training diverged, metrics not finite).</summary>
    public const string DataCannotBeFitted = "LG0157";
}
