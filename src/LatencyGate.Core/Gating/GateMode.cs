namespace LatencyGate.Gating;

internal enum GateMode
{
    /// <summary>The shipped arch is predicted on every device.</summary>
    Check,

    /// <summary>Each device's most accurate arch within budget is searched for.</summary>
    SearchPerDevice,

    /// <summary>One arch meeting every budget is searched for.</summary>
    SearchShared,
}
