namespace LatencyGate.Diagnostics;

/// <summary>Diagnostic codes for choosing a predictor source (LG0040–LG0049, see docs/diagnostics.md).</summary>
internal static class PredictorSourceErrors
{
    /// <summary>Neither or both of a lookup-table folder and a predictor file were given.</summary>
    public const string SourceChoice = "LG0040";

    /// <summary>The predictor file does not exist.</summary>
    public const string FileMissing = "LG0041";

    /// <summary>The predictor file is not in a format this build reads.</summary>
    public const string FormatNotRecognised = "LG0042";
}
