using LatencyGate.Spaces;

namespace LatencyGate.Measuring;

/// <summary>
/// One arch measured on this machine: the median of all timed runs of every pass on the
/// protocol's clock (<see cref="LatencyMs"/>), both clocks' medians, quartiles, a 95 % bootstrap
/// interval of the median widened to cover every pass's own median, and whether it stayed
/// unstable after its retries.
/// </summary>
internal sealed record ArchMeasurement(
    Arch Arch,
    double LatencyMs,
    double CpuMs,
    double WallMs,
    double Q1Ms,
    double Q3Ms,
    double LowerMs,
    double UpperMs,
    double PassSpreadPct,
    int Runs,
    int Passes,
    int Retries,
    bool Unstable,
    double PrepareMs);
