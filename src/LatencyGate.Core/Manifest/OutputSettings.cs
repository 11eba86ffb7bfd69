using LatencyGate.Diagnostics;

namespace LatencyGate.Manifest;

/// <summary>Where reports go and which formats are written (the console is always on).</summary>
internal sealed record OutputSettings(PathRef Directory, Located<IReadOnlyList<ReportFormat>> Formats, SourceLocation Location);
