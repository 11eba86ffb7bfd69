using LatencyGate.Diagnostics;
using LatencyGate.Spaces;

namespace LatencyGate.Measuring;

/// <summary>
/// How a host times one arch for a measured device: in its own process with the runtimes it loads
/// (<see cref="InProcessMeasurer"/>, the CLI), or by running the tool in another process (the
/// MSBuild task, which loads no native runtime). One seam, so the verdict, its interval and the
/// report are the same whichever host measured.
/// </summary>
internal interface IArchMeasurer
{
    /// <summary>
    /// Times <paramref name="arch"/> with the runtime named <paramref name="runtime"/> under
    /// <paramref name="protocol"/>; throws <see cref="LatencyGateException"/> for anything the user
    /// can fix (an unknown runtime, a missing native library), located at <paramref name="at"/>.
    /// </summary>
    MeasuredArch Measure(string runtime, SourceLocation? at, OfaSpace space, MeasurementProtocol protocol, Arch arch, CancellationToken cancellation);
}

/// <summary>One arch's measurement and the runtime that took it.</summary>
internal sealed record MeasuredArch(ArchMeasurement Measurement, string RuntimeName, string RuntimeVersion);
