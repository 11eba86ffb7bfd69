using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using LatencyGate.Diagnostics;
using LatencyGate.Files;
using LatencyGate.Spaces;

namespace LatencyGate.Measurements;

/// <summary>
/// Reads a measurements CSV (design: header row; the arch in one <c>arch</c> column, JSON or
/// Python dict literal — <c>child_arch</c>, the seed paper's name, is accepted too — or in flat
/// columns <c>r,d0..d4,ks0..ks19,e0..e19</c>; latency in ms in <c>latency_ms</c> or a named
/// column). Every bad row is reported (LG0150, with its line) before failing; repeated rows of
/// one canonical arch are averaged.
/// </summary>
internal static class MeasurementsCsv
{
    public const string DefaultLatencyColumn = "latency_ms";

    /// <summary>Millions of rows fit in this; more is not a measurements file.</summary>
    public const long MaxBytes = 256L << 20;

    /// <summary>One nanosecond: no network runs faster.</summary>
    public const double MinLatencyMs = 1e-6;

    /// <summary>About 11.6 days: no measurement of one inference takes longer.</summary>
    public const double MaxLatencyMs = 1e9;
    private const int MaxReportedErrors = 100;
    private static readonly string[] ArchColumns = ["arch", "child_arch"];

    private static readonly string[] FlatColumns = [.. new[] { "r" }.Concat(Enumerable.Range(0, 5).Select(i => $"d{i}"))
        .Concat(Enumerable.Range(0, 20).Select(i => $"ks{i}")).Concat(Enumerable.Range(0, 20).Select(i => $"e{i}"))];

    /// <summary>
    /// LG0861 when a column the reader takes appears twice (<c>arch,latency_ms,latency_ms</c>): which
    /// one holds the figures is anyone's guess, and taking the first would be a silent choice.
    /// </summary>
    private static void RefuseTwice(string[] header, IEnumerable<string> used, SourceLocation location)
    {
        foreach (var name in used.Distinct(StringComparer.Ordinal))
        {
            var at = header.Select((h, i) => (h, i)).Where(p => p.h == name).Select(p => p.i + 1).ToArray();
            if (at.Length > 1)
            {
                throw new LatencyGateException(
                    LearningErrors.DuplicateMeasurementColumn,
                    $"the header names the column '{EchoText.Cut(name)}' {at.Length} times (columns {string.Join(", ", at.Take(5))}); keep one",
                    location);
            }
        }
    }

    /// <summary>
    /// Why a data row is the start of another CSV joined on (a byte order mark at its start, or the
    /// header repeated); null for any other row.
    /// </summary>
    private static string? JoinedFileStart(string line, string[] header)
    {
        var bom = line.StartsWith('\uFEFF');
        var rest = Csv.WithoutByteOrderMark(line);
        if (Csv.Fields(rest).Select(h => h.Trim()).SequenceEqual(header, StringComparer.Ordinal))
        {
            return bom
                ? "the header row again, after a UTF-8 byte order mark: a second CSV file was joined on here; delete this line (and keep one header)"
                : "the header row again: a second CSV file was joined on here; delete this line (and keep one header)";
        }

        return bom
            ? "the row starts with a UTF-8 byte order mark (U+FEFF), which belongs only at the start of a file: a second CSV file was joined on here; delete the mark"
            : null;
    }

    public static MeasurementSet Read(string path, OfaSpace space, string? latencyColumn = null)
    {
        var bytes = BoundedFile.ReadAllBytes(path, MaxBytes, LearningErrors.MeasurementsUnreadable, "the measurements");

        return Parse(Encoding.UTF8.GetString(bytes), path, space, latencyColumn, Convert.ToHexStringLower(SHA256.HashData(bytes)));
    }

    /// <summary>
    /// The space a measurements file says it was measured in: <c>measure</c> writes a <c>space</c>
    /// column, and every row of one file holds the same. Null when there is none, it names no OFA
    /// space, or the file cannot be read (its reader reports that).
    /// </summary>
    public static string? DeclaredSpace(string path)
    {
        try
        {
            var records = Csv.Records(Csv.WithoutByteOrderMark(Encoding.UTF8.GetString(BoundedFile.ReadAllBytes(path, MaxBytes, LearningErrors.MeasurementsUnreadable, "the measurements"))));
            var rows = records.Select(r => r.Text).Where(l => l.Trim().Length > 0).Take(2).ToArray();
            if (rows.Length < 2)
            {
                return null;
            }

            var column = Csv.Fields(rows[0].TrimEnd('\r')).FindIndex(h => h.Trim() == "space");
            var cells = Csv.Fields(rows[1].TrimEnd('\r'));
            return column >= 0 && column < cells.Count && OfaSpace.All.Any(s => s.Name == cells[column].Trim()) ? cells[column].Trim() : null;
        }
        catch (LatencyGateException)
        {
            return null;
        }
    }

    public static MeasurementSet Parse(string text, string path, OfaSpace space, string? latencyColumn = null, string? sha256 = null)
    {
        sha256 ??= Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
        latencyColumn ??= DefaultLatencyColumn;
        // A UTF-8 byte order mark (Excel writes one) is not part of the first column's name.
        var records = Csv.Records(Csv.WithoutByteOrderMark(text));
        var lines = records.Select(r => r.Text).ToArray();
        var headerIndex = Array.FindIndex(lines, l => l.Trim().Length > 0);
        if (headerIndex < 0)
        {
            throw new LatencyGateException(LearningErrors.MeasurementsUnreadable, "the measurements file is empty; expected a header row and data rows", new SourceLocation(path));
        }

        var header = Csv.Fields(lines[headerIndex].TrimEnd('\r')).Select(h => h.Trim()).ToArray();
        var headerLocation = new SourceLocation(path, records[headerIndex].Line, 1);
        var latencyIndex = Array.IndexOf(header, latencyColumn);
        var archIndex = ArchColumns.Select(c => Array.IndexOf(header, c)).FirstOrDefault(i => i >= 0, -1);
        RefuseTwice(header, [latencyColumn, .. ArchColumns, .. FlatColumns], headerLocation);
        int[]? flat = null;
        if (archIndex < 0)
        {
            var names = FlatColumns;
            flat = names.Select(n => Array.IndexOf(header, n)).ToArray();
            if (flat.Any(i => i < 0))
            {
                var missing = names.Where((n, i) => flat[i] < 0).ToArray();
                throw new LatencyGateException(
                    LearningErrors.MissingMeasurementColumn,
                    $"no arch in the header: expected an 'arch' column or the flat columns r,d0..d4,ks0..ks19,e0..e19 (missing: {string.Join(",", missing.Take(6))}{(missing.Length > 6 ? ",..." : string.Empty)})",
                    headerLocation);
            }
        }

        if (latencyIndex < 0)
        {
            throw new LatencyGateException(
                LearningErrors.MissingMeasurementColumn,
                $"no latency column '{latencyColumn}' in the header (columns: {string.Join(",", header.Take(8))}{(header.Length > 8 ? ",..." : string.Empty)}); name it with --latency-column",
                headerLocation);
        }

        var machineAt = MachineColumns.Find(header);
        var machines = new List<IReadOnlyList<string>>();
        var errors = new DiagnosticBag();
        var errorCount = 0;
        var order = new List<Arch>();
        var sums = new Dictionary<Arch, (double Sum, int Count, int Line)>();
        var rows = 0;
        for (var li = headerIndex + 1; li < lines.Length; li++)
        {
            var line = lines[li].TrimEnd('\r');
            if (line.Trim().Length == 0)
            {
                continue;
            }

            rows++;
            var lineNumber = records[li].Line;
            var location = new SourceLocation(path, lineNumber, 1);
            void Bad(string message)
            {
                errorCount++;
                if (errorCount <= MaxReportedErrors)
                {
                    errors.Error(LearningErrors.BadMeasurementRow, message, location);
                }
            }

            // A byte order mark or the header inside the file is where a second CSV was joined on
            // (`cat a.csv b.csv`, b saved by Excel): one error for the line, not one per cell it spoils.
            if (JoinedFileStart(line, header) is { } joined)
            {
                Bad(joined);
                continue;
            }

            // A row longer than the header is as wrong as a shorter one: "arch,12,5" (a decimal comma)
            // was read as 12 ms, the rest dropped without a word.
            var cells = Csv.Fields(line);
            if (cells.Count != header.Length)
            {
                Bad(string.Create(CultureInfo.InvariantCulture, $"row has {cells.Count} cells; the header has {header.Length}")
                    + (cells.Count > header.Length ? " (a decimal comma, or a cell holding a comma without quotes?)" : string.Empty));
                continue;
            }

            var latencyText = cells[latencyIndex].Trim();
            double latency = double.NaN;
            if (latencyText.Length == 0)
            {
                Bad($"latency '{latencyColumn}' is empty");
            }
            else if (!double.TryParse(latencyText, NumberStyles.Float, CultureInfo.InvariantCulture, out latency) || double.IsNaN(latency) || double.IsInfinity(latency) || latencyText.Contains('\0', StringComparison.Ordinal))
            {
                Bad($"latency '{latencyColumn}' is '{EchoText.Cut(latencyText)}', not a finite number of milliseconds");
                latency = double.NaN;
            }
            else if (latency < 0)
            {
                Bad($"latency '{latencyColumn}' is {EchoText.Cut(latencyText)}; latencies cannot be negative");
                latency = double.NaN;
            }
            else if (latency is < MinLatencyMs or > MaxLatencyMs)
            {
                // Zero, 1e-320 or 1e300 ms is no measurement of a network, and would make every metric undefined.
                Bad(string.Create(CultureInfo.InvariantCulture, $"latency '{latencyColumn}' is {EchoText.Cut(latencyText)}; a measured latency is a positive number of milliseconds between {MinLatencyMs:G} and {MaxLatencyMs:G}"));
                latency = double.NaN;
            }

            Arch? arch = null;
            try
            {
                arch = archIndex >= 0 ? ArchJson.Parse(cells[archIndex], space, location) : FlatArch(cells, flat!, space, location);
            }
            catch (LatencyGateException ex)
            {
                foreach (var d in ex.Diagnostics)
                {
                    Bad($"arch: {d.Message}");
                }
            }

            if (arch is null || double.IsNaN(latency))
            {
                continue;
            }

            if (machineAt is not null && machines.Count < MachineColumns.MaxRecorded && machineAt.Max() < cells.Count)
            {
                var machine = machineAt.Select(i => cells[i].Trim()).ToArray();
                if (!machines.Any(m => m.SequenceEqual(machine, StringComparer.Ordinal)))
                {
                    machines.Add(machine);
                }
            }

            if (sums.TryGetValue(arch, out var s))
            {
                sums[arch] = (s.Sum + latency, s.Count + 1, s.Line);
            }
            else
            {
                sums[arch] = (latency, 1, lineNumber);
                order.Add(arch);
            }
        }

        if (errorCount > MaxReportedErrors)
        {
            errors.Error(LearningErrors.BadMeasurementRow, string.Create(CultureInfo.InvariantCulture, $"{errorCount - MaxReportedErrors} more bad rows not listed"), new SourceLocation(path));
        }

        errors.ThrowIfErrors();
        if (rows == 0)
        {
            throw new LatencyGateException(LearningErrors.MeasurementsUnreadable, "the measurements file has a header but no data rows", headerLocation);
        }

        var items = order.Select(a => (Arch: a, Stats: sums[a])).Select(p => new Measurement(p.Arch, p.Stats.Sum / p.Stats.Count, p.Stats.Count, p.Stats.Line)).ToArray();
        return new MeasurementSet(path, items, rows, latencyColumn, sha256) { Machines = machines };
    }

    private static Arch FlatArch(IReadOnlyList<string> cells, int[] columns, OfaSpace space, SourceLocation location)
    {
        var values = new int[columns.Length];
        for (var i = 0; i < columns.Length; i++)
        {
            var text = cells[columns[i]].Trim();
            if (!int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out values[i]))
            {
                throw new LatencyGateException(ArchErrors.Unparseable, $"flat arch cell {i} is '{EchoText.Cut(text)}', not an integer", location);
            }
        }

        return Arch.Create(values[6..26], values[26..46], values[1..6], values[0], space, location);
    }
}
