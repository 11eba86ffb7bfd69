namespace LatencyGate.Diagnostics;

/// <summary>Diagnostic codes for search (LG0300–LG0399, see docs/diagnostics.md).</summary>
internal static class SearchErrors
{
    /// <summary>No sub-network fits a budget: names the smallest latency reachable (exit code 1).</summary>
    public const string Infeasible = "LG0300";

    /// <summary>A search option out of range (population, generations, ratios, probability, restarts).</summary>
    public const string InvalidOption = "LG0301";

    /// <summary>A search request without devices, with a duplicate device name, or a budget that is not a positive number.</summary>
    public const string InvalidDevice = "LG0302";

    /// <summary>No resolutions, or a resolution the device's space does not have.</summary>
    public const string InvalidResolution = "LG0303";

    /// <summary>A sweep without a range, or with min &gt; max, non-positive bounds or fewer than 1 step.</summary>
    public const string InvalidSweep = "LG0304";

    /// <summary>A confidence outside (0, 1).</summary>
    public const string InvalidConfidence = "LG0305";

    /// <summary>Devices of one request in different spaces (an arch must mean the same network everywhere).</summary>
    public const string MixedSpaces = "LG0306";
}
