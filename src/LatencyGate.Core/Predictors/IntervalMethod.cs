namespace LatencyGate.Predictors;

/// <summary>Where a predictor's interval comes from; reports say which, so a gate knows what it acts on.</summary>
internal enum IntervalMethod
{
    /// <summary>No uncertainty model: bounds equal the point prediction.</summary>
    None,

    /// <summary>Split-conformal calibration on held-out measurements.</summary>
    Conformal,

    /// <summary>Spread of an ensemble of predictors.</summary>
    EnsembleSpread,
}
