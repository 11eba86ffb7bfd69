using LatencyGate.Spaces;

namespace LatencyGate.Manifest;

/// <summary>
/// A loaded, validated manifest. Every value carries the place it was written, so a later error
/// ("device X over budget") can point at the line of that device's <c>budget_ms</c>.
/// </summary>
internal sealed record LatencyGateManifest(
    string FilePath,
    Located<int> Version,
    Located<OfaSpace> Space,
    AccuracyObjectiveSpec Accuracy,
    PathRef? ShippedArch,
    SearchSettings? Search,
    IReadOnlyList<DeviceSpec> Devices,
    OutputSettings Outputs)
{
    public const int CurrentVersion = 1;

    public const string DefaultFileName = "latency-gate.yaml";

    /// <summary>The folder relative paths are resolved against.</summary>
    public string BaseDirectory => Path.GetDirectoryName(FilePath) ?? ".";

    public DeviceSpec? FindDevice(string name) =>
        Devices.FirstOrDefault(d => string.Equals(d.Name.Value, name, StringComparison.Ordinal));
}
