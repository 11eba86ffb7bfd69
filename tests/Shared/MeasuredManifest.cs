using System.Globalization;
using LatencyGate.Spaces;

namespace LatencyGate.Tests;

/// <summary>
/// A manifest whose one device, <c>this-machine</c>, is measured (<c>measure:</c>): it ships a small
/// OFA w1.0 arch (kernel 3, expand 3, depth 2, r128) written beside it as arch.json.
/// </summary>
internal static class MeasuredManifest
{
    /// <summary>Writes arch.json and latency-gate.yaml into <paramref name="folder"/>; returns the manifest's path.</summary>
    /// <param name="measure">The <c>measure:</c> mapping, e.g. <c>{runtime: onnxruntime, runs: 3}</c>.</param>
    public static string Write(string folder, double budgetMs, string measure)
    {
        File.WriteAllText(Path.Combine(folder, "arch.json"), ArchJson.Write(Arch.Create(Enumerable.Repeat(3, 20).ToArray(), Enumerable.Repeat(3, 20).ToArray(), [2, 2, 2, 2, 2], 128)));
        var manifest = Path.Combine(folder, "latency-gate.yaml");
        File.WriteAllText(manifest, string.Join('\n',
            "version: 1",
            "space: ofa-mbv3-w1.0",
            "accuracy: macs",
            "model: {arch: arch.json}",
            "devices:",
            "  - name: this-machine",
            $"    budget_ms: {budgetMs.ToString(CultureInfo.InvariantCulture)}",
            "    predictor:",
            $"      measure: {measure}",
            string.Empty));
        return manifest;
    }
}
