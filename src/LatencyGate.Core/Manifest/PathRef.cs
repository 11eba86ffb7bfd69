using LatencyGate.Diagnostics;

namespace LatencyGate.Manifest;

/// <summary>A path as written in the manifest, resolved against the manifest's folder.</summary>
internal sealed record PathRef(string Text, string FullPath, SourceLocation Location)
{
    public bool IsDirectory => Directory.Exists(FullPath);
}
