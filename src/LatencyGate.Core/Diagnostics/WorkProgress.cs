using System.Globalization;

namespace LatencyGate.Diagnostics;

/// <summary>
/// What a long run is doing, for a host to show (a live bar, a log line): the phase, how far through
/// it (<see cref="Done"/> of <see cref="Total"/>; <see cref="Total"/> 0 when unknown) and the item at
/// hand (a device). The core reports; it never prints.
/// </summary>
public sealed record WorkProgress(string Phase, int Done = 0, int Total = 0, string? Item = null)
{
    /// <summary>What <see cref="Done"/> counts ("generations", "epochs"), when not obvious from the phase.</summary>
    public string? Unit { get; init; }

    /// <summary>"building predictors 2/5 (phone-mid)", "reading latency-gate.yaml".</summary>
    public override string ToString()
    {
        var count = Total > 0 ? string.Create(CultureInfo.InvariantCulture, $" {Done}/{Total}{(Unit is null ? string.Empty : " " + Unit)}") : string.Empty;
        var item = Item is null ? string.Empty : $" ({Item})";
        return Phase + count + item;
    }
}
