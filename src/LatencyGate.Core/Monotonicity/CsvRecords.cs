using System.Text;

namespace LatencyGate.Monotonicity;

/// <summary>RFC 4180 records: commas, double-quoted fields (a Python dict literal holds commas), "" for a quote.</summary>
internal static class CsvRecords
{
    /// <summary>The next record, or null at the end; <paramref name="lineNumber"/> ends as the record's last line (1-based).</summary>
    public static string[]? ReadRecord(TextReader reader, ref int lineNumber)
    {
        var line = reader.ReadLine();
        if (line is null)
        {
            return null;
        }

        lineNumber++;
        var fields = new List<string>();
        var field = new StringBuilder();
        var quoted = false;
        var i = 0;
        while (true)
        {
            if (i >= line.Length)
            {
                if (quoted)
                {
                    var next = reader.ReadLine();
                    if (next is null)
                    {
                        break;
                    }

                    lineNumber++;
                    field.Append('\n');
                    line = next;
                    i = 0;
                    continue;
                }

                break;
            }

            var c = line[i];
            if (quoted)
            {
                if (c == '"')
                {
                    if (i + 1 < line.Length && line[i + 1] == '"')
                    {
                        field.Append('"');
                        i += 2;
                        continue;
                    }

                    quoted = false;
                }
                else
                {
                    field.Append(c);
                }
            }
            else if (c == '"')
            {
                quoted = true;
            }
            else if (c == ',')
            {
                fields.Add(field.ToString().Trim());
                field.Clear();
            }
            else
            {
                field.Append(c);
            }

            i++;
        }

        fields.Add(field.ToString().Trim());
        return [.. fields];
    }
}
