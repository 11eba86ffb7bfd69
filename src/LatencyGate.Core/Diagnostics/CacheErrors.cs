namespace LatencyGate.Diagnostics;

/// <summary>Diagnostic codes of the predictor cache (LG0560–LG0569).</summary>
internal static class CacheErrors
{
    /// <summary>Warning: a cache entry failed its checks and is rebuilt.</summary>
    public const string CorruptEntry = "LG0560";

    /// <summary>Warning: the cache folder cannot be written; the run continues uncached.</summary>
    public const string Unwritable = "LG0561";
}
