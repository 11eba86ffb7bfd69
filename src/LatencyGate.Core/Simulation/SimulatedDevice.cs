using LatencyGate.Randomness;
using LatencyGate.Spaces;

namespace LatencyGate.Simulation;

/// <summary>
/// An analytical (roofline) device for synthetic example data: each layer costs
/// max(FLOPs / effective peak, bytes / bandwidth) plus a per-kernel launch overhead, summed over
/// the network's layers at the device's batch size; measurements add multiplicative log-normal
/// noise. It is a model for demos and tests, not a claim about any real device.
/// </summary>
internal sealed record SimulatedDevice(
    string Name,
    double PeakGflops,
    double BandwidthGBps,
    double KernelOverheadUs,
    double DepthwiseEfficiency,
    int BatchSize,
    double NoiseSigma,
    int Cores = 8,
    double MemoryGb = 8)
{
    /// <summary>Ready-made devices for the examples (names say they are simulated).</summary>
    public static IReadOnlyList<SimulatedDevice> Presets { get; } =
    [
        new("sim-phone-big-core", PeakGflops: 60, BandwidthGBps: 12, KernelOverheadUs: 25, DepthwiseEfficiency: 0.35, BatchSize: 1, NoiseSigma: 0.03, Cores: 4, MemoryGb: 8),
        new("sim-phone-mid", PeakGflops: 35, BandwidthGBps: 8, KernelOverheadUs: 40, DepthwiseEfficiency: 0.3, BatchSize: 1, NoiseSigma: 0.04, Cores: 4, MemoryGb: 6),
        new("sim-edge-npu", PeakGflops: 400, BandwidthGBps: 25, KernelOverheadUs: 60, DepthwiseEfficiency: 0.08, BatchSize: 1, NoiseSigma: 0.03, Cores: 2, MemoryGb: 4),
        new("sim-edge-gpu", PeakGflops: 1300, BandwidthGBps: 60, KernelOverheadUs: 20, DepthwiseEfficiency: 0.15, BatchSize: 1, NoiseSigma: 0.02, Cores: 512, MemoryGb: 8),
        new("sim-server-gpu-b32", PeakGflops: 14000, BandwidthGBps: 900, KernelOverheadUs: 8, DepthwiseEfficiency: 0.12, BatchSize: 32, NoiseSigma: 0.02, Cores: 5120, MemoryGb: 32),
        new("sim-server-gpu-b64", PeakGflops: 14000, BandwidthGBps: 900, KernelOverheadUs: 8, DepthwiseEfficiency: 0.12, BatchSize: 64, NoiseSigma: 0.02, Cores: 5120, MemoryGb: 32),

        // A family of GPUs to train a hardware-generalized predictor on (the server GPU above is held out).
        new("sim-gpu-small-b32", PeakGflops: 4500, BandwidthGBps: 250, KernelOverheadUs: 10, DepthwiseEfficiency: 0.12, BatchSize: 32, NoiseSigma: 0.02, Cores: 1920, MemoryGb: 8),
        new("sim-gpu-mid-b32", PeakGflops: 9000, BandwidthGBps: 450, KernelOverheadUs: 9, DepthwiseEfficiency: 0.12, BatchSize: 32, NoiseSigma: 0.02, Cores: 3584, MemoryGb: 11),
        new("sim-gpu-large-b32", PeakGflops: 19500, BandwidthGBps: 1550, KernelOverheadUs: 7, DepthwiseEfficiency: 0.12, BatchSize: 32, NoiseSigma: 0.02, Cores: 6912, MemoryGb: 40),
        new("sim-gpu-mid-b64", PeakGflops: 9000, BandwidthGBps: 450, KernelOverheadUs: 9, DepthwiseEfficiency: 0.12, BatchSize: 64, NoiseSigma: 0.02, Cores: 3584, MemoryGb: 11),
    ];

    public static bool TryGetPreset(string name, out SimulatedDevice device)
    {
        device = Presets.FirstOrDefault(p => string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase))!;
        return device is not null;
    }

    /// <summary>Noise-free latency of one layer (ms), for a whole batch.</summary>
    public double LayerMs(OfaLayer layer)
    {
        ArgumentNullException.ThrowIfNull(layer);
        var cost = LayerCost.Of(layer);
        var batch = (double)BatchSize;
        var denseSeconds = 2.0 * cost.DenseMacs * batch / (PeakGflops * 1e9);
        var depthwiseSeconds = 2.0 * cost.DepthwiseMacs * batch / (PeakGflops * DepthwiseEfficiency * 1e9);
        var memorySeconds = ((4.0 * cost.ActivationElements * batch) + (4.0 * cost.WeightElements)) / (BandwidthGBps * 1e9);
        var overheadSeconds = cost.Kernels * KernelOverheadUs * 1e-6;
        return (Math.Max(denseSeconds + depthwiseSeconds, memorySeconds) + overheadSeconds) * 1e3;
    }

    /// <summary>
    /// The device's noise-free per-layer costs as OFA lookup tables, one per resolution: every layer
    /// key a sub-network can have, with its latency as <c>mean</c>.
    /// </summary>
    internal IEnumerable<(int Resolution, IReadOnlyDictionary<string, Predictors.Lut.LutEntry> Table)> LookupTables(OfaSpace space, IEnumerable<int> resolutions)
    {
        foreach (var r in resolutions)
        {
            var table = new Dictionary<string, Predictors.Lut.LutEntry>(StringComparer.Ordinal);
            foreach (var layer in OfaGeometry.For(space, r).AllLayers())
            {
                table.TryAdd(layer.LutKey, new Predictors.Lut.LutEntry(LayerMs(layer), 0, 1));
            }

            yield return (r, table);
        }
    }

    /// <summary>Noise-free latency of a whole network (ms).</summary>
    public double NetworkMs(Arch arch, OfaSpace space) => OfaMobileNetV3.Layers(arch, space).Sum(LayerMs);

    /// <summary>One noisy measurement; <paramref name="repeat"/> distinguishes repeated runs of one arch.</summary>
    public double MeasureMs(Arch arch, OfaSpace space, ulong seed, int repeat = 0)
    {
        ArgumentNullException.ThrowIfNull(arch);
        // Noise depends only on (seed, arch, repeat): the same inputs give the same CSV bytes.
        var (a, b) = arch.Fingerprint;
        var random = new SeededRandom(seed ^ a ^ (b * 31) ^ ((ulong)repeat * 0x9E3779B97F4A7C15UL));
        return NetworkMs(arch, space) * Math.Exp(NoiseSigma * random.NextGaussian());
    }
}
