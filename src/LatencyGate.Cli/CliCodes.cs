namespace LatencyGate.Cli;

/// <summary>Diagnostic codes the CLI host raises itself (LG0900–LG0999, and LG0860–LG0869 for the process's own streams and arguments; see docs/diagnostics.md).</summary>
internal static class CliCodes
{
    /// <summary>Bad command-line usage (unknown option, missing argument, options that go together).</summary>
    public const string Usage = "LG0900";

    /// <summary>Cancelled (Ctrl-C, SIGINT, SIGTERM, SIGHUP): exit code 130.</summary>
    public const string Cancelled = "LG0901";

    /// <summary>A numeric option out of range.</summary>
    public const string OutOfRange = "LG0902";

    /// <summary><c>--resolutions</c> names a resolution the space does not have.</summary>
    public const string UnknownResolution = "LG0903";

    /// <summary><c>simulate --device</c> names no simulated device preset.</summary>
    public const string UnknownSimulatedDevice = "LG0904";

    /// <summary>An arch list file (<c>--archs</c>) does not exist or cannot be read.</summary>
    public const string ArchListUnreadable = "LG0905";

    /// <summary>Warning: <c>$GITHUB_STEP_SUMMARY</c> is set but cannot be appended to.</summary>
    public const string StepSummaryUnwritable = "LG0906";

    /// <summary><c>search --sweep</c> is not <c>MIN:MAX:STEPS</c>.</summary>
    public const string BadSweep = "LG0907";

    /// <summary><c>fit-generalized --device</c> is malformed, or fewer than two devices are given.</summary>
    public const string BadGeneralizedDevice = "LG0908";

    /// <summary>Warning: OFA's accuracy predictor (trained on w1.2) asked to score an arch of another space.</summary>
    public const string AccuracyOtherSpace = "LG0909";

    /// <summary><c>init --space</c> contradicts the space of the tables given with <c>--lut</c>.</summary>
    public const string InitSpaceMismatch = "LG0910";

    /// <summary>An unknown command (with a did-you-mean).</summary>
    public const string UnknownCommand = "LG0911";

    /// <summary><c>init --schema</c> that is empty or holds a control character (it goes on the manifest's first line, a comment).</summary>
    public const string BadSchemaReference = "LG0912";

    /// <summary><c>predict</c>/<c>explain</c> without <c>--space</c>, and the space cannot be told from <c>--lut</c>/<c>--predictor</c>.</summary>
    public const string SpaceUnknown = "LG0930";

    /// <summary>Standard output cannot be written (a full disk or <c>/dev/full</c>, a closed descriptor): exit code 2.</summary>
    public const string StdoutUnwritable = "LG0860";

    /// <summary>The current folder was deleted (or moved) after the shell entered it, so a relative path cannot be resolved: exit code 2.</summary>
    public const string CurrentFolderGone = "LG0863";

    /// <summary>Internal error (a bug): exit code 3.</summary>
    public const string InternalError = "LG0999";
}
