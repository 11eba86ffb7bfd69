using LatencyGate.Spaces;

namespace LatencyGate.Adaptation.Features;

/// <summary>
/// Analytical cost of a sub-network on a device, summed over its layers (one whole batch):
/// compute time (2·MACs·batch / peak FP32), memory time (activations·batch + weights over bandwidth),
/// a per-layer roofline (the larger of the two, layer by layer), and the kernel-launch count.
/// Times in milliseconds.
/// </summary>
internal readonly record struct AnalyticalCost(double ComputeMs, double MemoryMs, double RooflineMs, double Launches, double Macs, double Bytes)
{
    public static AnalyticalCost Of(Arch arch, OfaSpace space, HardwareSpec hw)
    {
        double compute = 0, memory = 0, roof = 0, launches = 0, macs = 0, bytes = 0;
        var flopsPerMs = hw.PeakFp32Gflops * 1e6;
        var bytesPerMs = hw.BandwidthGbPerSecond * 1e6;
        foreach (var layer in OfaBlockShapes.Layers(arch, space))
        {
            var c = 2.0 * layer.Macs * hw.BatchSize / flopsPerMs;
            var layerBytes = (layer.ActivationBytes * hw.BatchSize) + layer.WeightBytes;
            var m = layerBytes / bytesPerMs;
            compute += c;
            memory += m;
            roof += Math.Max(c, m);
            launches += layer.KernelLaunches;
            macs += layer.Macs;
            bytes += layerBytes;
        }

        return new AnalyticalCost(compute, memory, roof, launches, macs, bytes);
    }
}
