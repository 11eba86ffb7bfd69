namespace LatencyGate.MSBuild;

/// <summary>The MSBuild host's own diagnostic codes (LG0600–LG0699, see docs/diagnostics.md).</summary>
internal static class TaskCodes
{
    public const string ManifestNotFound = "LG0600";
    public const string Cancelled = "LG0601";
    public const string FailedWithoutDiagnostic = "LG0602";
    public const string InvalidProperty = "LG0603";
    public const string StampNotWritten = "LG0604";
    public const string MeasureToolNotStarted = "LG0605";
    public const string MeasureToolFailed = "LG0606";
    public const string MeasureTimedOut = "LG0607";
    public const string InternalError = "LG0699";
}
