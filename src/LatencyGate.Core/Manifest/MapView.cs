using LatencyGate.Diagnostics;

namespace LatencyGate.Manifest;

/// <summary>
/// A YAML mapping seen through the keys a manifest section allows: unknown keys are reported once
/// (with a did-you-mean), the rest are looked up by name.
/// </summary>
internal sealed class MapView
{
    private readonly Dictionary<string, (YamlNode Key, YamlNode Value)> _entries = new(StringComparer.Ordinal);

    // Allowed keys an unknown key was taken for ("budegt_ms" → "budget_ms"), so the missing-key error is not said twice.
    private readonly HashSet<string> _suggested = new(StringComparer.Ordinal);

    private MapView(YamlNode node, string where)
    {
        Node = node;
        Where = where;
    }

    public YamlNode Node { get; }

    /// <summary>Where this mapping is, in manifest terms ("device 'pixel4'", "search").</summary>
    public string Where { get; }

    public SourceLocation Location => Node.Location;

    /// <summary>Reads <paramref name="node"/> as a mapping with the allowed keys; null (and an error) when it is not one.</summary>
    public static MapView? Of(YamlNode node, string where, IReadOnlyList<string> allowedKeys, DiagnosticBag bag)
    {
        if (node.Kind != YamlNodeKind.Mapping)
        {
            bag.Error(ManifestErrors.WrongType, $"{where} must be a mapping of keys ({string.Join(", ", allowedKeys)}); got {node.Describe()}", node.Location);
            return null;
        }

        var view = new MapView(node, where);
        foreach (var (key, value) in node.Pairs)
        {
            if (key.Kind != YamlNodeKind.Scalar)
            {
                bag.Error(ManifestErrors.WrongType, $"keys in {where} must be plain names; got {key.Describe()}", key.Location);
                continue;
            }

            if (!allowedKeys.Contains(key.Text))
            {
                if (DidYouMean.Closest(key.Text, allowedKeys) is { } suggestion)
                {
                    view._suggested.Add(suggestion);
                }

                bag.Error(
                    ManifestErrors.UnknownKey,
                    $"unknown key '{EchoText.Cut(key.Text)}' in {where}{DidYouMean.Hint(key.Text, allowedKeys)}; expected one of: {string.Join(", ", allowedKeys)}",
                    key.Location);
                continue;
            }

            view._entries[key.Text] = (key, value);
        }

        return view;
    }

    public bool Has(string key) => _entries.ContainsKey(key);

    public IEnumerable<string> PresentKeys => _entries.Keys;

    public YamlNode? Get(string key) => _entries.TryGetValue(key, out var e) ? e.Value : null;

    public YamlNode? KeyNode(string key) => _entries.TryGetValue(key, out var e) ? e.Key : null;

    public YamlNode? Required(string key, string expected, DiagnosticBag bag)
    {
        if (_entries.TryGetValue(key, out var e))
        {
            return e.Value;
        }

        if (_suggested.Contains(key))
        {
            return null;
        }

        bag.Error(ManifestErrors.MissingKey, $"{Where} is missing the required key '{key}' ({expected})", Location);
        return null;
    }
}
