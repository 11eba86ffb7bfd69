namespace LatencyGate.Manifest;

/// <summary>The keys each manifest section allows (kept in step with docs/manifest.md and the JSON Schema).</summary>
internal static class ManifestKeys
{
    public static readonly IReadOnlyList<string> Root = ["version", "space", "accuracy", "model", "search", "defaults", "devices", "outputs"];
    public static readonly IReadOnlyList<string> Accuracy = ["predictor", "proxy"];
    public static readonly IReadOnlyList<string> Model = ["arch"];
    public static readonly IReadOnlyList<string> Search = ["mode", "resolutions", "population", "generations", "parent_ratio", "mutation_ratio", "mutation_probability", "seed", "thorough", "accuracy_floor"];
    public static readonly IReadOnlyList<string> Defaults = ["batch_size", "confidence", "calibration_confidence", "warn_margin"];
    public static readonly IReadOnlyList<string> Device = ["name", "budget_ms", "batch_size", "confidence", "calibration_confidence", "warn_margin", "hardware", "predictor"];
    public static readonly IReadOnlyList<string> Hardware = ["kind", "cores", "memory_gb", "memory_bandwidth_gbps", "peak_fp32_gflops", "frequency_ghz"];
    public static readonly IReadOnlyList<string> Predictor = ["lut", "file", "finetune", "generalized", "proxy", "calibrate", "measure"];
    public static readonly IReadOnlyList<string> Measure = ["runtime", "threads", "warmup", "runs", "passes", "inconclusive", "predictor"];
    public static readonly IReadOnlyList<string> Lut = ["path", "interpolate"];
    public static readonly IReadOnlyList<string> Finetune = ["base", "measurements", "strategy", "shots", "latency_column", "engine"];
    public static readonly IReadOnlyList<string> Generalized = ["predictor", "hardware"];
    public static readonly IReadOnlyList<string> Proxy = ["device", "measurements", "latency_column", "engine"];
    public static readonly IReadOnlyList<string> Calibrate = ["base", "measurements", "latency_column"];
    public static readonly IReadOnlyList<string> Outputs = ["dir", "formats"];
    public static readonly IReadOnlyList<string> SearchModes = ["per-device", "shared"];
}
