namespace LatencyGate.Diagnostics;

/// <summary>Diagnostic codes of stored adaptations: cache entries and predictor files holding one (LG0240–LG0259).</summary>
internal static class StoredAdaptationErrors
{
    /// <summary>A stored adaptation of an unknown version, truncated or otherwise malformed.</summary>
    public const string Malformed = "LG0240";

    /// <summary>A stored adaptation that does not fit the base predictors it is decoded against.</summary>
    public const string BaseMismatch = "LG0241";

    /// <summary>An adapted predictor of a kind the codec cannot store.</summary>
    public const string NotStorable = "LG0242";
}
