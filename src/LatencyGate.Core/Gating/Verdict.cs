namespace LatencyGate.Gating;

/// <summary>A device's outcome. Ordered by severity, so the overall verdict is the maximum.</summary>
public enum Verdict
{
    /// <summary>Not evaluated (for example: filtered out with --device).</summary>
    Skipped,

    /// <summary>Within budget with room to spare.</summary>
    Pass,

    /// <summary>Within budget but inside the warn margin.</summary>
    Warn,

    /// <summary>Over budget, no sub-network fits, or accuracy below the floor.</summary>
    Fail,

    /// <summary>The device could not be evaluated (its predictor failed to build).</summary>
    Error,
}
