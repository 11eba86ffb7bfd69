using LatencyGate.Diagnostics;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace LatencyGate.Manifest;

/// <summary>
/// Reads YAML text into <see cref="YamlNode"/>s with 1-based line and column on every node. Syntax
/// errors become one LG0400 diagnostic at the parser's position; nothing is thrown.
/// </summary>
internal static class YamlTreeReader
{
    // Aliases can expand exponentially ("billion laughs"); a manifest never needs many nodes.
    private const int MaxNodes = 200_000;
    private const int MaxDepth = 64;

    public static YamlNode? Read(string text, string file, DiagnosticBag bag)
    {
        var parser = new Parser(new StringReader(text));
        var anchors = new Dictionary<string, YamlNode>(StringComparer.Ordinal);
        var count = 0;
        try
        {
            parser.Consume<StreamStart>();
            if (parser.Accept<StreamEnd>(out _))
            {
                return null;
            }

            parser.Consume<DocumentStart>();
            YamlNode? root = parser.Accept<DocumentEnd>(out _) ? null : ReadNode(parser, file, bag, anchors, ref count, 0);
            parser.Consume<DocumentEnd>();
            if (!parser.Accept<StreamEnd>(out _))
            {
                var next = parser.Current!;
                bag.Error(ManifestErrors.YamlSyntax, "a manifest holds one YAML document; found a second one ('---')", At(file, next.Start));
            }

            return root;
        }
        catch (YamlException ex)
        {
            // A tab in the indentation: YamlDotNet reports some of these at 1,1 (the start of the
            // document's mapping), so the line is found here, the first one indented with a tab.
            var message = CleanMessage(ex.Message);
            var at = At(file, ex.Start);
            var hint = string.Empty;
            if (message.Contains("tab", StringComparison.OrdinalIgnoreCase))
            {
                hint = " (YAML indents with spaces: replace the tab with spaces)";
                if (FirstTabIndentedLine(text) is { } tabLine)
                {
                    at = new SourceLocation(file, tabLine.Line, tabLine.Column);
                }
            }

            bag.Error(ManifestErrors.YamlSyntax, $"YAML syntax error: {message}{hint}", at);
            return null;
        }
        catch (Exception ex) when (ex is InvalidOperationException or ArgumentException or FormatException or OverflowException)
        {
            // YamlDotNet's scanner throws these (not YamlException) on some malformed input; it is still the user's syntax error.
            var at = parser.Current is { } last ? At(file, last.End) : new SourceLocation(file, 1, 1);
            bag.Error(ManifestErrors.YamlSyntax, "YAML syntax error after this point: the text that follows is not well-formed YAML", at);
            return null;
        }
        catch (ManifestTooLargeException ex)
        {
            bag.Error(ManifestErrors.YamlSyntax, ex.Message, ex.Location);
            return null;
        }
    }

    /// <summary>YAML's core schema (`!!str` expands to tag:yaml.org,2002:str) and the non-specific `!`.</summary>
    private static readonly HashSet<string> CoreTags = new(new[] { "str", "int", "float", "bool", "null", "map", "seq" }.Select(t => "tag:yaml.org,2002:" + t).Append("!"), StringComparer.Ordinal);

    private static YamlNode ReadNode(IParser parser, string file, DiagnosticBag bag, Dictionary<string, YamlNode> anchors, ref int count, int depth)
    {
        var current = parser.Current ?? throw new YamlException("unexpected end of the YAML stream");
        if (++count > MaxNodes || depth > MaxDepth)
        {
            throw new ManifestTooLargeException(
                "the YAML is too large or too deeply nested for a manifest (aliases expanding too far?)",
                At(file, current.Start));
        }

        // A tag outside YAML's core schema (`!!python/object:os.system`, `!Ref`) means nothing to the
        // manifest; ignoring it would accept the file as if the tag were not there.
        if (current is NodeEvent { Tag.IsEmpty: false } tagged && !CoreTags.Contains(tagged.Tag.Value))
        {
            bag.Error(ManifestErrors.YamlSyntax, $"YAML tag '{EchoText.Cut(tagged.Tag.Value)}' has no meaning in a manifest; only YAML's own tags (!!str, !!int, !!float, …) are accepted", At(file, current.Start));
        }

        switch (current)
        {
            case AnchorAlias alias:
                parser.MoveNext();
                if (anchors.TryGetValue(alias.Value.Value, out var target))
                {
                    return target;
                }

                bag.Error(ManifestErrors.YamlSyntax, $"YAML alias '*{EchoText.Cut(alias.Value.Value)}' refers to no anchor defined before it", At(file, alias.Start));
                return YamlNode.Scalar(string.Empty, true, At(file, alias.Start));

            case Scalar scalar:
                parser.MoveNext();
                // `!!str 14` (and the non-specific tag `! 14`) is text, as `"14"` is: never read as a number.
                var text = !scalar.Tag.IsEmpty && scalar.Tag.Value is "tag:yaml.org,2002:str" or "!";
                var node = YamlNode.Scalar(scalar.Value, scalar.Style is ScalarStyle.Plain or ScalarStyle.Any && !text, At(file, scalar.Start));
                Remember(scalar, node, anchors);
                return node;

            case SequenceStart start:
                {
                    parser.MoveNext();
                    var sequence = YamlNode.Sequence(At(file, start.Start));
                    Remember(start, sequence, anchors);
                    while (!parser.TryConsume<SequenceEnd>(out _))
                    {
                        var at = At(file, parser.Current!.Start);
                        sequence.Items.Add(ReadNode(parser, file, bag, anchors, ref count, depth + 1));
                        sequence.ItemLocations.Add(at);
                    }

                    return sequence;
                }

            case MappingStart start:
                {
                    parser.MoveNext();
                    var mapping = YamlNode.Mapping(At(file, start.Start));
                    Remember(start, mapping, anchors);
                    var seen = new Dictionary<string, YamlNode>(StringComparer.Ordinal);
                    while (!parser.TryConsume<MappingEnd>(out _))
                    {
                        var key = ReadNode(parser, file, bag, anchors, ref count, depth + 1);
                        var value = ReadNode(parser, file, bag, anchors, ref count, depth + 1);
                        if (key.Kind == YamlNodeKind.Scalar && seen.TryGetValue(key.Text, out var first))
                        {
                            bag.Error(
                                ManifestErrors.DuplicateKey,
                                $"key '{EchoText.Cut(key.Text)}' appears twice in the same mapping (first at line {first.Location.Line}); the second one is ignored",
                                key.Location);
                            continue;
                        }

                        if (key.Kind == YamlNodeKind.Scalar)
                        {
                            seen[key.Text] = key;
                        }

                        mapping.Pairs.Add(new(key, value));
                    }

                    return mapping;
                }

            default:
                throw new YamlException(current.Start, current.End, $"unexpected YAML event {current.GetType().Name}");
        }
    }

    private static void Remember(NodeEvent ev, YamlNode node, Dictionary<string, YamlNode> anchors)
    {
        if (!ev.Anchor.IsEmpty)
        {
            anchors[ev.Anchor.Value] = node;
        }
    }

    /// <summary>The first line whose indentation holds a tab, and the tab's column (1-based); null when none does.</summary>
    private static (int Line, int Column)? FirstTabIndentedLine(string text)
    {
        var line = 1;
        var column = 1;
        var inIndent = true;
        foreach (var c in text)
        {
            if (c == '\n')
            {
                line++;
                column = 1;
                inIndent = true;
                continue;
            }

            if (inIndent && c == '\t')
            {
                return (line, column);
            }

            inIndent &= c == ' ' || c == '-';
            column++;
        }

        return null;
    }

    private static SourceLocation At(string file, Mark mark) => new(file, (int)Math.Min(mark.Line, int.MaxValue), (int)Math.Min(mark.Column, int.MaxValue));

    // YamlDotNet prefixes messages with "(Line: 3, Col: 5, Idx: 20) - (...): "; we print the location ourselves.
    private static string CleanMessage(string message)
    {
        var cut = message.LastIndexOf("): ", StringComparison.Ordinal);
        var text = message.StartsWith("(Line:", StringComparison.Ordinal) && cut >= 0 ? message[(cut + 3)..] : message;
        return text.Trim();
    }

    private sealed class ManifestTooLargeException(string message, SourceLocation location) : Exception(message)
    {
        public SourceLocation Location { get; } = location;
    }
}
