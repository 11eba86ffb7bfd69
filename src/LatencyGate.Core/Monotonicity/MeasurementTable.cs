using System.Globalization;
using LatencyGate.Diagnostics;
using LatencyGate.Files;

namespace LatencyGate.Monotonicity;

/// <summary>
/// A measurements CSV read as named columns of text: a header row, then one arch per row. Latency
/// columns are read as numbers on demand, with a coded error naming the row and column of a bad cell.
/// </summary>
internal sealed class MeasurementTable
{
    private readonly Dictionary<string, int> _index;
    private readonly HashSet<string> _twice = new(StringComparer.Ordinal);

    private MeasurementTable(string path, string[] header, List<string[]> rows)
    {
        Path = path;
        Header = header;
        Rows = rows;
        _index = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < header.Length; i++)
        {
            if (!_index.TryAdd(header[i], i))
            {
                _twice.Add(header[i]);
            }
        }
    }

    public string Path { get; }

    public IReadOnlyList<string> Header { get; }

    public IReadOnlyList<string[]> Rows { get; }

    public int RowCount => Rows.Count;

    public static MeasurementTable Read(string path)
    {
        if (!File.Exists(path))
        {
            throw new LatencyGateException(MonotonicityErrors.BadCsv, $"measurements file '{path}' not found", new SourceLocation(path));
        }

        using var reader = new StringReader(BoundedFile.ReadAllText(path, Measurements.MeasurementsCsv.MaxBytes, MonotonicityErrors.BadCsv, "the measurements"));
        return Read(reader, path);
    }

    public static MeasurementTable Read(TextReader reader, string path)
    {
        ArgumentNullException.ThrowIfNull(reader);
        // Line breaks as TextReader.ReadLine knows them (\r\n, \r, \n), also inside a quoted field.
        var text = Csv.WithoutByteOrderMark(reader.ReadToEnd()).Replace("\r\n", "\n", StringComparison.Ordinal).Replace('\r', '\n');
        string[]? header = null;
        var rows = new List<string[]>();
        foreach (var (recordText, lineNumber) in Csv.Records(text))
        {
            string[] record = [.. Csv.Fields(recordText).Select(f => f.Trim())];
            if (record.Length == 1 && string.IsNullOrWhiteSpace(record[0]))
            {
                continue;
            }

            if (header is null)
            {
                header = record;
                continue;
            }

            if (record.Length != header.Length)
            {
                throw new LatencyGateException(
                    MonotonicityErrors.BadCsv,
                    string.Create(CultureInfo.InvariantCulture, $"row has {record.Length} fields, the header has {header.Length}"),
                    new SourceLocation(path, lineNumber, 1));
            }

            rows.Add(record);
        }

        if (header is null)
        {
            throw new LatencyGateException(MonotonicityErrors.BadCsv, "measurements file is empty; expected a header row then one row per arch", new SourceLocation(path, 1, 1));
        }

        if (rows.Count == 0)
        {
            throw new LatencyGateException(MonotonicityErrors.BadCsv, "measurements file has a header but no data rows", new SourceLocation(path, 1, 1));
        }

        return new MeasurementTable(path, header, rows);
    }

    public bool HasColumn(string name) => _index.ContainsKey(name);

    /// <summary>
    /// The column's position. A column read that the header names twice is LG0861, as in the
    /// measurements reader: taking the first of two 'a' columns would be a silent choice.
    /// </summary>
    public int ColumnIndex(string name)
    {
        if (!_index.TryGetValue(name, out var i))
        {
            throw new LatencyGateException(MonotonicityErrors.MissingColumn, $"column '{name}' is not in the header; columns are: {string.Join(", ", Header)}", new SourceLocation(Path, 1, 1));
        }

        if (!_twice.Contains(name))
        {
            return i;
        }

        var at = Header.Select((h, j) => (h, j)).Where(p => p.h == name).Select(p => p.j + 1).ToArray();
        throw new LatencyGateException(
            LearningErrors.DuplicateMeasurementColumn,
            $"the header names the column '{EchoText.Cut(name)}' {at.Length} times (columns {string.Join(", ", at.Take(5))}); keep one",
            new SourceLocation(Path, 1, 1));
    }

    public string[] Text(string column)
    {
        var c = ColumnIndex(column);
        return [.. Rows.Select(r => r[c])];
    }

    private const double MaxLatencyMs = 1e9;

    // The measurements CSV's lower bound: 0 (or a denormal) is no measurement of anything, yet was ranked as the fastest arch.
    private const double MinLatencyMs = 1e-6;

    /// <summary>The column as numbers; an empty cell or a negative value (the data sets' "-1 = not measured") is NaN.</summary>
    public double[] Numbers(string column) => Read(column, latencies: false);

    /// <summary>
    /// A device's latency column (<see cref="Numbers"/>), where a zero (or anything below 1e-6 ms) is
    /// LG0722 at its cell: it is no measurement, yet it was ranked as the device's fastest arch. Index
    /// and op columns, read with <see cref="Numbers"/>, hold zeros rightly.
    /// </summary>
    public double[] Latencies(string column) => Read(column, latencies: true);

    private double[] Read(string column, bool latencies)
    {
        var c = ColumnIndex(column);
        var values = new double[Rows.Count];
        for (var i = 0; i < Rows.Count; i++)
        {
            var cell = Rows[i][c];
            if (string.IsNullOrWhiteSpace(cell))
            {
                values[i] = double.NaN;
                continue;
            }

            // Above 1e9 ms (11 days) is no latency, and such values overflow the fits' squares.
            if (!double.TryParse(cell, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) || double.IsInfinity(v) || v > MaxLatencyMs || cell.Contains('\0', StringComparison.Ordinal))
            {
                throw new LatencyGateException(
                    MonotonicityErrors.BadNumber,
                    $"'{EchoText.Cut(cell)}' in column '{column}' is not a latency in milliseconds (a number up to 1e9)",
                    new SourceLocation(Path, i + 2, c + 1));
            }

            // -0 is not below 0: it is a zero.
            if (latencies && v is >= 0 and < MinLatencyMs)
            {
                throw new LatencyGateException(
                    MonotonicityErrors.BadNumber,
                    $"'{EchoText.Cut(cell)}' in column '{column}' is no latency: a measured latency is at least 1e-6 ms; leave the cell empty (or -1) for an arch not measured on this device",
                    new SourceLocation(Path, i + 2, c + 1));
            }

            values[i] = v < 0 ? double.NaN : v;
        }

        return values;
    }
}
