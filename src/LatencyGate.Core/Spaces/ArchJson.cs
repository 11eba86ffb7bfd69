using System.Globalization;
using System.Text;
using LatencyGate.Diagnostics;
using LatencyGate.Files;

namespace LatencyGate.Spaces;

/// <summary>
/// Reads and writes archs in OFA's JSON forms (<c>{"ks":[..],"e":[..],"d":[..],"r":[224]}</c> or with
/// <c>"image_size": 224</c>; <c>wid</c> may be present and null) and in the Python dict literal form
/// found in published data sets (single quotes, <c>None</c>, <c>True</c>/<c>False</c>). Writes OFA's
/// ArchManager form with <c>r</c> as a one-element list.
/// </summary>
internal static class ArchJson
{
    private static readonly string[] RequiredLists = ["ks", "e", "d"];

    /// <summary>
    /// Parses one arch. <paramref name="source"/> is where the text starts (file, and line/column
    /// when the text is embedded, e.g. a CSV cell); errors point into it.
    /// </summary>
    public static Arch Parse(string text, OfaSpace space, SourceLocation? source = null)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(space);
        if (ArchKey.LooksLike(text))
        {
            return ArchKey.Parse(text, space, source);
        }

        var reader = new ArchLiteralReader(text, source);
        var root = reader.ReadDocument();
        if (root.Kind != ArchLiteral.LiteralKind.Object)
        {
            throw new LatencyGateException(ArchErrors.Unparseable, "an arch must be an object like {\"ks\": [...], \"e\": [...], \"d\": [...], \"r\": [224]}", root.Location);
        }

        var fields = root.Fields!;
        var missing = new DiagnosticBag();
        foreach (var name in RequiredLists)
        {
            if (!fields.ContainsKey(name))
            {
                missing.Error(ArchErrors.MissingField, $"arch has no field '{name}'", root.Location);
            }
        }

        var hasR = fields.TryGetValue("r", out var rLiteral);
        var hasImageSize = fields.TryGetValue("image_size", out var imageSizeLiteral);
        if (!hasR && !hasImageSize)
        {
            missing.Error(ArchErrors.MissingField, "arch has no resolution: expected field 'r' or 'image_size'", root.Location);
        }

        missing.ThrowIfErrors();
        var ks = IntList(fields["ks"], "ks");
        var e = IntList(fields["e"], "e");
        var d = IntList(fields["d"], "d");
        var resolution = hasR ? Resolution(rLiteral!) : ScalarInt(imageSizeLiteral!, "image_size");
        if (hasR && hasImageSize)
        {
            var other = ScalarInt(imageSizeLiteral!, "image_size");
            if (other != resolution)
            {
                throw new LatencyGateException(
                    ArchErrors.ConflictingResolution,
                    string.Create(CultureInfo.InvariantCulture, $"arch gives two resolutions: 'r' is {resolution} and 'image_size' is {other}"),
                    imageSizeLiteral!.Location);
            }
        }

        try
        {
            return Arch.Create(ks, e, d, resolution, space, root.Location);
        }
        catch (LatencyGateException ex)
        {
            // Arch.Create knows only one location; point each finding at the field it names.
            var relocated = ex.Diagnostics.Select(diag => diag with { Location = FieldLocation(diag.Message, fields) ?? diag.Location }).ToArray();
            throw new LatencyGateException(relocated, ex.ExitCode);
        }
    }

    /// <summary>Reads an arch file (one arch, any accepted form, including the arch key).</summary>
    public static Arch ReadFile(string path, OfaSpace space)
    {
        // An arch is a few hundred bytes; 1 MB leaves room for any formatting.
        var text = BoundedFile.ReadAllText(path, 1L << 20, ArchErrors.ArchFileUnreadable, "the arch file");

        return Parse(text, space, new SourceLocation(path, 1, 1));
    }

    /// <summary>
    /// The arch a host was given: exactly one of a file path (<c>--arch</c>) or inline text
    /// (<c>--arch-json</c>, reported as location <c>--arch-json</c>).
    /// </summary>
    public static Arch FromFileOrText(string? file, string? text, OfaSpace space)
    {
        if ((file is null) == (text is null))
        {
            throw new LatencyGateException(
                ArchErrors.ArchSourceChoice,
                file is null ? "no arch given: pass --arch FILE or --arch-json JSON" : "both --arch and --arch-json given; pass only one");
        }

        if (file is not null && !File.Exists(file) && ArchKey.LooksLike(file))
        {
            // The key the tool prints (r192-d23232-k…) is accepted wherever an arch is.
            return ArchKey.Parse(file, space, new SourceLocation("--arch"));
        }

        return file is not null ? ReadFile(file, space) : Parse(text!, space, new SourceLocation("--arch-json", 1, 1));
    }

    /// <summary>OFA's form, one line: <c>{"ks": [..], "e": [..], "d": [..], "r": [224]}</c> (all 20 slots written).</summary>
    public static string Write(Arch arch)
    {
        ArgumentNullException.ThrowIfNull(arch);
        var sb = new StringBuilder(200);
        sb.Append("{\"ks\": ");
        AppendList(sb, arch.KernelSizes);
        sb.Append(", \"e\": ");
        AppendList(sb, arch.ExpandRatios);
        sb.Append(", \"d\": ");
        AppendList(sb, arch.Depths);
        sb.Append(", \"r\": [").Append(arch.Resolution.ToString(CultureInfo.InvariantCulture)).Append("]}");
        return sb.ToString();
    }

    private static void AppendList(StringBuilder sb, ReadOnlySpan<byte> values)
    {
        sb.Append('[');
        for (var i = 0; i < values.Length; i++)
        {
            if (i > 0)
            {
                sb.Append(", ");
            }

            sb.Append(values[i].ToString(CultureInfo.InvariantCulture));
        }

        sb.Append(']');
    }

    private static SourceLocation? FieldLocation(string message, IReadOnlyDictionary<string, ArchLiteral> fields)
    {
        const string prefix = "arch field '";
        if (!message.StartsWith(prefix, StringComparison.Ordinal))
        {
            return null;
        }

        var end = message.IndexOf('\'', prefix.Length);
        var name = end < 0 ? string.Empty : message[prefix.Length..end];
        if (name == "r" && !fields.ContainsKey("r"))
        {
            name = "image_size";
        }

        return fields.TryGetValue(name, out var literal) ? literal.Location : null;
    }

    private static int[] IntList(ArchLiteral literal, string field)
    {
        if (literal.Kind != ArchLiteral.LiteralKind.List)
        {
            throw new LatencyGateException(ArchErrors.Unparseable, $"arch field '{field}' must be a list of integers", literal.Location);
        }

        var items = literal.Items!;
        var result = new int[items.Count];
        for (var i = 0; i < items.Count; i++)
        {
            result[i] = ScalarInt(items[i], field);
        }

        return result;
    }

    private static int Resolution(ArchLiteral literal)
    {
        if (literal.Kind == ArchLiteral.LiteralKind.List)
        {
            var items = literal.Items!;
            if (items.Count != 1)
            {
                throw new LatencyGateException(
                    ArchErrors.WrongLength,
                    string.Create(CultureInfo.InvariantCulture, $"arch field 'r' has {items.Count} values; expected 1"),
                    literal.Location);
            }

            return ScalarInt(items[0], "r");
        }

        return ScalarInt(literal, "r");
    }

    private static int ScalarInt(ArchLiteral literal, string field)
    {
        if (literal.Kind == ArchLiteral.LiteralKind.Number
            && double.TryParse(literal.Text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value)
            && value == Math.Floor(value)
            && Math.Abs(value) < 1e6)
        {
            return (int)value;
        }

        throw new LatencyGateException(ArchErrors.Unparseable, $"arch field '{field}' holds '{EchoText.Cut(literal.Text)}'; expected an integer", literal.Location);
    }
}
