using LatencyGate.Adaptation;

namespace LatencyGate.Benchmarks.Adaptation;

/// <summary>
/// Public spec sheets of the GPUs in the reference data (benchmark inputs, not product data).
/// CUDA cores, memory (GB), bandwidth (GB/s), peak FP32 (GFLOPS at boost clock):
/// RTX 2080 Ti, Titan RTX, Titan Xp, Tesla P40: NVIDIA product pages / TechPowerUp GPU database;
/// V100: ../shared/data/neusight/device_configs/Tesla_V100-PCIE-32GB.json (80 SMs × 64 cores, 900 GB/s,
/// 14,029 GFLOPS). The seed paper used 4352/11/616 (2080 Ti) and 3840/24/347 (P40) for cores/RAM/bandwidth.
/// </summary>
internal static class GpuSpecSheets
{
    public static readonly HardwareSpec Rtx2080Ti = new("RTX 2080 Ti", 4352, 11, 616, 13450, 64);
    public static readonly HardwareSpec TitanRtx = new("Titan RTX", 4608, 24, 672, 16310, 64);
    public static readonly HardwareSpec TitanXp = new("Titan Xp", 3840, 12, 547.7, 12150, 64);
    public static readonly HardwareSpec V100 = new("V100", 5120, 32, 900, 14029, 64);
    public static readonly HardwareSpec TeslaP40 = new("Tesla P40", 3840, 24, 347, 11760, 64);

    /// <summary>HELP's OFA GPU columns: lat_ms_{key}_{batch}.</summary>
    public static readonly (string Key, HardwareSpec Spec)[] Help =
    [
        ("2080ti", Rtx2080Ti),
        ("titan_rtx", TitanRtx),
        ("titan_xp", TitanXp),
        ("v100", V100),
    ];

    public static readonly int[] HelpBatches = [1, 32, 64];
}
