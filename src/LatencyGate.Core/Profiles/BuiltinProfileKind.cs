namespace LatencyGate.Profiles;

/// <summary>What a built-in profile stands in for.</summary>
internal enum BuiltinProfileKind
{
    /// <summary>A folder of OFA latency lookup tables (<c>lut:</c>, <c>--lut</c>).</summary>
    LookupTables,

    /// <summary>OFA's accuracy predictor (<c>accuracy.predictor:</c>, <c>accuracy --predictor</c>).</summary>
    AccuracyPredictor,
}
