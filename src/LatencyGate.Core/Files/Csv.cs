using System.Text;

namespace LatencyGate.Files;

/// <summary>
/// The one RFC 4180 reader and writer: commas between fields, double-quoted fields (an arch's JSON
/// or Python dict holds commas and may span lines), <c>""</c> for a quote inside one. Readers get
/// their text through <see cref="BoundedFile"/> first, so no file is read without a size bound, and
/// drop a UTF-8 byte order mark (Excel writes one) with <see cref="WithoutByteOrderMark"/>.
/// </summary>
internal static class Csv
{
    /// <summary>The text without a leading UTF-8 byte order mark.</summary>
    public static string WithoutByteOrderMark(string text) => text.TrimStart('\uFEFF');

    /// <summary>
    /// Cuts the text into records at line breaks outside quotes (a quoted field may hold line
    /// breaks), each with the 1-based line it starts on. A record keeps a trailing <c>\r</c>.
    /// </summary>
    public static List<(string Text, int Line)> Records(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var records = new List<(string Text, int Line)>();
        var start = 0;
        var startLine = 1;
        var line = 1;
        var quoted = false;
        for (var i = 0; i < text.Length; i++)
        {
            var ch = text[i];
            if (ch == '"')
            {
                quoted = !quoted;
            }
            else if (ch == '\n')
            {
                line++;
                if (!quoted)
                {
                    records.Add((text[start..i], startLine));
                    start = i + 1;
                    startLine = line;
                }
            }
        }

        records.Add((text[start..], startLine));
        return records;
    }

    /// <summary>The fields of one record, unquoted and not trimmed.</summary>
    public static List<string> Fields(string record)
    {
        ArgumentNullException.ThrowIfNull(record);
        var cells = new List<string>();
        var sb = new StringBuilder();
        var quoted = false;
        for (var i = 0; i < record.Length; i++)
        {
            var ch = record[i];
            if (quoted)
            {
                if (ch == '"')
                {
                    if (i + 1 < record.Length && record[i + 1] == '"')
                    {
                        sb.Append('"');
                        i++;
                    }
                    else
                    {
                        quoted = false;
                    }
                }
                else
                {
                    sb.Append(ch);
                }
            }
            else if (ch == '"')
            {
                quoted = true;
            }
            else if (ch == ',')
            {
                cells.Add(sb.ToString());
                sb.Clear();
            }
            else
            {
                sb.Append(ch);
            }
        }

        cells.Add(sb.ToString());
        return cells;
    }

    /// <summary>A field as written: quoted (with <c>""</c> for a quote) only when it holds a comma, a quote or a line break.</summary>
    public static string Field(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return value.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : value;
    }

    /// <summary>One record of <paramref name="fields"/> (each through <see cref="Field"/>), without the line break.</summary>
    public static string Row(IEnumerable<string> fields) => string.Join(',', fields.Select(Field));
}
