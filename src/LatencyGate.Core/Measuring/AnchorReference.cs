using LatencyGate.Spaces;

namespace LatencyGate.Measuring;

/// <summary>
/// The reference network of an anchored protocol: one fixed arch of the space, timed alternately
/// with every arch so that each arch's runs can be divided by a reference run taken a few
/// milliseconds apart. On a shared VM the machine's speed drifts by 10–20 % over seconds, and that
/// drift is shared by whatever runs at the time (see docs/measuring.md): dividing cancels it.
/// </summary>
internal static class AnchorReference
{
    /// <summary>The smallest arch (kernel 3, expand 3, depth 2 everywhere) at the lowest resolution: the cheapest reference.</summary>
    public static Arch For(OfaSpace space)
    {
        ArgumentNullException.ThrowIfNull(space);
        return Arch.Create(
            Enumerable.Repeat(3, Arch.SlotCount).ToArray(),
            Enumerable.Repeat(3, Arch.SlotCount).ToArray(),
            Enumerable.Repeat(2, Arch.StageCount).ToArray(),
            space.SupportsResolution(160) ? 160 : space.MinResolution,
            space);
    }
}
