using System.Globalization;

namespace LatencyGate.Diagnostics;

/// <summary>A place in a user's file. Line and column are 1-based; 0 means unknown.</summary>
public sealed record SourceLocation(string File, int Line = 0, int Column = 0)
{
    public override string ToString() => Line <= 0
        ? File
        : Column <= 0
            ? string.Create(CultureInfo.InvariantCulture, $"{File}({Line})")
            : string.Create(CultureInfo.InvariantCulture, $"{File}({Line},{Column})");
}
