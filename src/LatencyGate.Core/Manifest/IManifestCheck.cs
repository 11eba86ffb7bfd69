using LatencyGate.Diagnostics;

namespace LatencyGate.Manifest;

/// <summary>
/// A validation step that needs to load something (a predictor's metadata, a measurements file) and
/// adds its findings to the same bag, so every problem is still reported in one run. Checks run
/// after the manifest itself is valid, in the order given; one that throws a
/// <see cref="LatencyGateException"/> has its diagnostics added and the next check still runs.
/// </summary>
internal interface IManifestCheck
{
    void Check(LatencyGateManifest manifest, DiagnosticBag diagnostics);
}
