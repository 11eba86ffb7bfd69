namespace LatencyGate.Diagnostics;

/// <summary>Codes LG0800–LG0849: export, measure and the runtimes (docs/diagnostics.md).</summary>
internal static class MeasuringErrors
{
    public const string UnknownRuntime = "LG0800";
    public const string RuntimeUnavailable = "LG0801";
    public const string OutputNotWritable = "LG0802";

    /// <summary>Another measure run is writing the same <c>--out</c> (from the LG0860 block).</summary>
    public const string OutputInUse = "LG0862";
    public const string BadOption = "LG0803";
    public const string CannotResume = "LG0804";
    public const string BadArchList = "LG0805";
    public const string RunFailed = "LG0806";
    public const string BadNetConfig = "LG0807";

    /// <summary>A network at the chosen batch size did not fit in memory: the user's setting, so exit 2.</summary>
    public const string OutOfMemory = "LG0808";
}
