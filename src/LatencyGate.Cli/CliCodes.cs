namespace LatencyGate.Cli;

/// <summary>Diagnostic codes the CLI host raises itself (LG0909–LG0929; see docs/diagnostics.md).</summary>
internal static class CliCodes
{
    /// <summary>Warning: OFA's accuracy predictor (trained on w1.2) asked to score an arch of another space.</summary>
    public const string AccuracyOtherSpace = "LG0909";

    /// <summary><c>init --space</c> contradicts the space of the tables given with <c>--lut</c>.</summary>
    public const string InitSpaceMismatch = "LG0910";

    /// <summary>An unknown command (with a did-you-mean).</summary>
    public const string UnknownCommand = "LG0911";
}
