using LatencyGate.Diagnostics;

namespace LatencyGate.Manifest;

/// <summary>A path as written in the manifest, resolved against the manifest's folder.</summary>
internal sealed record PathRef(string Text, string FullPath, SourceLocation Location)
{
    public bool IsDirectory => !IsBuiltin && Directory.Exists(FullPath);

    /// <summary>A built-in profile (<c>builtin:note10</c>): no file on disk, content fixed by the tool's version.</summary>
    /// <summary>An arch written inline as its key (<c>arch: r192-d23232-k…</c>) rather than a file.</summary>
    public bool IsArchKey { get; init; }

    public bool IsBuiltin => Profiles.BuiltinProfiles.IsReference(Text);
}
