using System.Globalization;
using LatencyGate.Diagnostics;

namespace LatencyGate.Adaptation;

/// <summary>
/// A device as a spec sheet describes it: compute units (CUDA cores or CPU cores), memory size,
/// memory bandwidth, peak FP32 throughput, and the batch size latency is measured at. Inputs of the
/// hardware-generalized predictor. The manifest's <c>hardware</c> mapping parses into this record too.
/// </summary>
internal sealed record HardwareSpec(
    string Name,
    double Cores,
    double MemoryGb,
    double BandwidthGbPerSecond,
    double PeakFp32Gflops,
    int BatchSize)
{
    /// <summary>The kinds a manifest's <c>hardware.kind</c> may name.</summary>
    public static IReadOnlyList<string> Kinds { get; } = ["cpu", "gpu", "npu", "dsp"];

    /// <summary>cpu, gpu, npu or dsp when the manifest says; not a model input.</summary>
    public string? Kind { get; init; }

    /// <summary>Clock in GHz when the manifest gives it; not a model input.</summary>
    public double? FrequencyGhz { get; init; }

    /// <summary>The same device at another batch size.</summary>
    public HardwareSpec WithBatch(int batchSize) => this with { BatchSize = batchSize };

    /// <summary>Log-scaled parameters, centred on a mid-range GPU so a ridge penalty treats them alike.</summary>
    internal double[] Normalized() =>
    [
        Math.Log(Cores / 3000.0),
        Math.Log(MemoryGb / 12.0),
        Math.Log(BandwidthGbPerSecond / 500.0),
        Math.Log(PeakFp32Gflops / 12000.0),
        Math.Log(BatchSize / 16.0),
    ];

    internal static readonly string[] NormalizedNames = ["log-cores", "log-memory", "log-bandwidth", "log-peak-fp32", "log-batch"];

    /// <summary>Checks every field is positive; LG0201 otherwise.</summary>
    public HardwareSpec Validated(SourceLocation? location = null)
    {
        var bag = new DiagnosticBag();
        void Check(string field, double v)
        {
            // No spec sheet has a figure outside 1e-6..1e9; beyond it the features overflow or vanish.
            if (!(v >= 1e-6 && v <= 1e9))
            {
                bag.Error(AdaptationErrors.InvalidHardwareSpec, string.Create(CultureInfo.InvariantCulture, $"hardware spec '{Name}': {field} is {v}; expected a positive number from 1e-6 to 1e9"), location);
            }
        }

        Check("cores", Cores);
        Check("memory_gb", MemoryGb);
        Check("memory_bandwidth_gbps", BandwidthGbPerSecond);
        Check("peak_fp32_gflops", PeakFp32Gflops);
        Check("batch", BatchSize);
        bag.ThrowIfErrors();
        return this;
    }
}
