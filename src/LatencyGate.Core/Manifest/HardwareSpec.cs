using LatencyGate.Diagnostics;

namespace LatencyGate.Manifest;

/// <summary>A device's spec-sheet figures, the inputs of a hardware-generalized predictor.</summary>
internal sealed record HardwareSpec(
    Located<string>? Kind,
    Located<int>? Cores,
    Located<double>? MemoryGb,
    Located<double>? MemoryBandwidthGbps,
    Located<double>? PeakFp32Gflops,
    Located<double>? FrequencyGhz,
    SourceLocation Location)
{
    public static IReadOnlyList<string> Kinds { get; } = ["cpu", "gpu", "npu", "dsp"];
}
