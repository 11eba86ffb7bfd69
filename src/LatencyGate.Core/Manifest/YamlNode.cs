using LatencyGate.Diagnostics;

namespace LatencyGate.Manifest;

internal enum YamlNodeKind
{
    Scalar,
    Sequence,
    Mapping,
}

/// <summary>
/// A position-preserving YAML node. Our own tree (built from parser events) rather than YamlDotNet's
/// representation model, so duplicate keys become diagnostics instead of ending the parse.
/// </summary>
internal sealed class YamlNode
{
    private YamlNode(YamlNodeKind kind, SourceLocation location)
    {
        Kind = kind;
        Location = location;
    }

    public YamlNodeKind Kind { get; }

    public SourceLocation Location { get; }

    /// <summary>Scalar text (empty for other kinds).</summary>
    public string Text { get; private init; } = string.Empty;

    /// <summary>True for a plain (unquoted, non-block) scalar: only those are read as numbers, booleans or null.</summary>
    public bool IsPlain { get; private init; }

    public List<YamlNode> Items { get; } = [];

    /// <summary>
    /// Where each item of a sequence is written: its own location, or for an alias (<c>- *dev</c>) the
    /// alias's, since the item is then the anchored node itself, located where the anchor is.
    /// </summary>
    public List<SourceLocation> ItemLocations { get; } = [];

    public List<KeyValuePair<YamlNode, YamlNode>> Pairs { get; } = [];

    public bool IsNull => Kind == YamlNodeKind.Scalar && IsPlain && Text is "" or "~" or "null" or "Null" or "NULL";

    public static YamlNode Scalar(string text, bool isPlain, SourceLocation location) =>
        new(YamlNodeKind.Scalar, location) { Text = text, IsPlain = isPlain };

    public static YamlNode Sequence(SourceLocation location) => new(YamlNodeKind.Sequence, location);

    public static YamlNode Mapping(SourceLocation location) => new(YamlNodeKind.Mapping, location);

    /// <summary>What the node is, in words, for "expected X, got Y" messages.</summary>
    public string Describe() => Kind switch
    {
        YamlNodeKind.Sequence => "a list",
        YamlNodeKind.Mapping => "a mapping",
        _ when IsNull => "nothing (null)",
        _ => $"'{Shorten(Text)}'",
    };

    private static string Shorten(string text) => text.Length <= 40 ? text : string.Concat(text.AsSpan(0, 37), "...");
}
