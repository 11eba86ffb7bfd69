using System.Globalization;

namespace LatencyGate.Diagnostics;

/// <summary>A place in a user's file. Line and column are 1-based; 0 means unknown.</summary>
/// <param name="File">The file's path.</param>
/// <param name="Line">1-based line, 0 when unknown.</param>
/// <param name="Column">1-based column, 0 when unknown.</param>
public sealed record SourceLocation(string File, int Line = 0, int Column = 0)
{
    /// <summary><c>FILE</c>, <c>FILE(LINE)</c> or <c>FILE(LINE,COL)</c>, as compilers write a location.</summary>
    public override string ToString() => Line <= 0
        ? File
        : Column <= 0
            ? string.Create(CultureInfo.InvariantCulture, $"{File}({Line})")
            : string.Create(CultureInfo.InvariantCulture, $"{File}({Line},{Column})");
}
