using LatencyGate.Diagnostics;

namespace LatencyGate.Spaces;

/// <summary>A value of the small JSON / Python-literal language archs are written in, with where it starts.</summary>
internal sealed record ArchLiteral(
    ArchLiteral.LiteralKind Kind,
    string Text,
    SourceLocation? Location,
    IReadOnlyList<ArchLiteral>? Items = null,
    IReadOnlyDictionary<string, ArchLiteral>? Fields = null)
{
    internal enum LiteralKind
    {
        Object,
        List,
        Number,
        String,
        Null,
        Boolean,
    }
}
