using LatencyGate.Diagnostics;
using LatencyGate.Spaces;

namespace LatencyGate.Measuring;

/// <summary>Times archs in this process with the host's runtimes (the CLI's ONNX Runtime and libtorch).</summary>
internal sealed class InProcessMeasurer(RuntimeRegistry runtimes) : IArchMeasurer
{
    public MeasuredArch Measure(string runtime, SourceLocation? at, OfaSpace space, MeasurementProtocol protocol, Arch arch, CancellationToken cancellation)
    {
        var resolved = runtimes.Resolve(runtime, at);
        var version = resolved.Version;
        var m = new MeasurementRun(resolved, space, protocol).Measure([arch], cancellation: cancellation)[0];
        return new MeasuredArch(m, resolved.Name, version);
    }
}
