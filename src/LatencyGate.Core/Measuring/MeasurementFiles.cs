using System.Globalization;
using System.Text;
using LatencyGate.Diagnostics;
using LatencyGate.Files;
using LatencyGate.Spaces;

namespace LatencyGate.Measuring;

/// <summary>
/// The two append-only files of a measuring run: the measurements CSV (one row per arch, written
/// when its last pass is done; <c>fit</c> reads it) and beside it the pass journal
/// (<c>NAME.passes.csv</c>: every pass of every arch with its raw samples, written as soon as the
/// pass is timed). Each row is one write followed by a flush to disk, so a killed run loses at most
/// the pass in flight (an anchored pass writes its reference runs after a '|' in each samples cell); a torn last line is cut off when the files are opened again, and rows
/// already there are reused, never measured or written twice.
/// </summary>
internal sealed class MeasurementFiles
{
    public static readonly IReadOnlyList<string> ResultColumns =
    [
        "arch", "latency_ms", "cpu_ms", "wall_ms", "q1_ms", "q3_ms", "lower_ms", "upper_ms", "pass_spread_pct",
        "runs", "passes", "retries", "unstable", "prepare_ms", "clock", "space", .. MachineIdentity.Columns,
    ];

    public static readonly IReadOnlyList<string> JournalColumns = ["arch", "pass", "prepare_ms", "cpu_ms", "wall_ms", "settings"];

    private readonly OfaSpace _space;
    private readonly MeasurementProtocol _protocol;
    private readonly MachineIdentity _identity;

    public MeasurementFiles(string path, OfaSpace space, MeasurementProtocol protocol, MachineIdentity identity)
    {
        Path = path;
        JournalPath = JournalPathOf(path);
        _space = space;
        _protocol = protocol;
        _identity = identity;
    }

    public string Path { get; }

    public string JournalPath { get; }

    private string Settings => $"{_protocol.Fingerprint};space={_space.Name};{string.Join(';', MachineIdentity.Columns.Zip(_identity.Values, (c, v) => c + "=" + v))}";

    public static string JournalPathOf(string path) =>
        path.EndsWith(".csv", StringComparison.OrdinalIgnoreCase) ? path[..^4] + ".passes.csv" : path + ".passes.csv";

    /// <summary>
    /// Holds the files for this run: a second run into the same <c>--out</c> is LG0862 instead of
    /// appending its rows beside this one's (and timing on the cores this run is timing on). The lock
    /// is a hidden file beside the measurements, held exclusively and deleted when released; a run
    /// killed outright leaves it behind unlocked, and the next run takes it. When the lock file
    /// cannot be made at all (a read-only folder), there is nothing to share and <see cref="Open"/>
    /// reports the folder.
    /// </summary>
    public IDisposable Lock()
    {
        // Both files: '--out m' and '--out m.csv' differ but share the journal m.passes.csv.
        var rows = LockOne(Path);
        try
        {
            return new Held(rows, LockOne(JournalPath));
        }
        catch
        {
            rows.Dispose();
            throw;
        }
    }

    private IDisposable LockOne(string path)
    {
        // Locked by the file written: a symbolic link naming the same measurements is the same --out.
        var full = path.Length == 0 ? string.Empty : OutputFile.FinalTarget(System.IO.Path.GetFullPath(path));
        if (full.Length == 0 || OutputFile.SystemRootOf(full) is not null || Directory.Exists(full) || BoundedFile.IsSpecial(full))
        {
            // Never a lock file in /dev or /proc: Open refuses such an --out with LG0802.
            return new MemoryStream();
        }

        var lockPath = System.IO.Path.Combine(System.IO.Path.GetDirectoryName(full) ?? ".", "." + System.IO.Path.GetFileName(full) + ".lock");
        try
        {
            return new FileStream(lockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.DeleteOnClose);
        }
        catch (UnauthorizedAccessException) when (Directory.Exists(lockPath))
        {
            throw new LatencyGateException(
                MeasuringErrors.OutputNotWritable,
                $"cannot write measurements: a folder {lockPath} is where this run keeps its lock file; remove it",
                new SourceLocation(Path));
        }
        catch (IOException) when (File.Exists(lockPath))
        {
            throw new LatencyGateException(
                MeasuringErrors.OutputInUse,
                "another measure run is writing these measurements now; wait for it to end (a rerun then resumes) or measure into another --out",
                new SourceLocation(Path));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            return new MemoryStream();
        }
    }

    /// <summary>The two locks of one run, released together.</summary>
    private sealed class Held(IDisposable rows, IDisposable journal) : IDisposable
    {
        public void Dispose()
        {
            journal.Dispose();
            rows.Dispose();
        }
    }

    /// <summary>Creates both files (with headers) or checks the existing ones; throws LG0802/LG0804.</summary>
    /// <returns>Whether the files were created by this call (so a run that fails before any row can remove them).</returns>
    public bool Open()
    {
        var created = OpenOne(Path, ResultColumns);
        return OpenOne(JournalPath, JournalColumns) && created;
    }

    /// <summary>Removes both files (used when a run that created them failed before writing a row).</summary>
    public void Delete()
    {
        File.Delete(Path);
        File.Delete(JournalPath);
    }

    /// <summary>Archs already complete in the measurements CSV (LG0804 when a row was measured with other settings).</summary>
    public IReadOnlyDictionary<Arch, ArchMeasurement> LoadResults()
    {
        var result = new Dictionary<Arch, ArchMeasurement>();
        var col = ResultColumns.Select((c, i) => (c, i)).ToDictionary(x => x.c, x => x.i);
        foreach (var (cells, location) in Rows(Path, ResultColumns.Count))
        {
            var expected = new[] { _protocol.ClockName, _space.Name }.Concat(_identity.Values).ToArray();
            var actual = cells.Skip(col["clock"]).ToArray();
            if (!expected.SequenceEqual(actual))
            {
                throw Resume(location, $"this row was measured with other settings ({string.Join(", ", actual)}); this run: {string.Join(", ", expected)}");
            }

            var m = Parse(cells, col, _space, location);
            result[m.Arch] = m;
        }

        return result;
    }

    /// <summary>
    /// Every finished row of a measurements CSV this tool wrote, with the runtime that took it,
    /// whatever its settings (a host that had the tool measure in another process reads its result).
    /// </summary>
    public static IReadOnlyList<(ArchMeasurement Measurement, string Runtime, string RuntimeVersion)> ReadFinished(string path, OfaSpace space)
    {
        ArgumentNullException.ThrowIfNull(space);
        var col = ResultColumns.Select((c, i) => (c, i)).ToDictionary(x => x.c, x => x.i);
        var runtime = col["runtime"];
        var runtimeVersion = col["runtime_version"];
        var rows = new List<(ArchMeasurement, string, string)>();
        foreach (var (cells, location) in Rows(path, ResultColumns.Count))
        {
            rows.Add((Parse(cells, col, space, location), cells[runtime], cells[runtimeVersion]));
        }

        return rows;
    }

    private static ArchMeasurement Parse(IReadOnlyList<string> cells, Dictionary<string, int> col, OfaSpace space, SourceLocation location)
    {
        var arch = ArchJson.Parse(cells[0], space, location);
        double D(string name) => double.TryParse(cells[col[name]], NumberStyles.Float, CultureInfo.InvariantCulture, out var v)
            ? v
            : throw Resume(location, $"{name} '{cells[col[name]]}' is not a number");
        int I(string name) => int.TryParse(cells[col[name]], NumberStyles.Integer, CultureInfo.InvariantCulture, out var v)
            ? v
            : throw Resume(location, $"{name} '{cells[col[name]]}' is not an integer");
        return new ArchMeasurement(
            arch, D("latency_ms"), D("cpu_ms"), D("wall_ms"), D("q1_ms"), D("q3_ms"), D("lower_ms"), D("upper_ms"), D("pass_spread_pct"),
            I("runs"), I("passes"), I("retries"), cells[col["unstable"]] == "1", D("prepare_ms"));
    }

    /// <summary>Passes already timed, per arch, from the journal.</summary>
    public Dictionary<Arch, List<PassTiming>> LoadJournal()
    {
        var result = new Dictionary<Arch, List<PassTiming>>();
        foreach (var (cells, location) in Rows(JournalPath, JournalColumns.Count))
        {
            if (cells[5] != Settings)
            {
                throw Resume(location, $"this pass was measured with other settings ({cells[5]}); this run: {Settings}");
            }

            var arch = ArchJson.Parse(cells[0], _space, location);
            static double[] Samples(string text) =>
                [.. text.Split(';').Select(s => double.Parse(s, NumberStyles.Float, CultureInfo.InvariantCulture))];

            // An anchored pass writes "arch runs|reference runs" in each samples cell.
            static (double[] Arch, double[]? Reference) Split(string text) =>
                text.IndexOf('|', StringComparison.Ordinal) is var bar and >= 0 ? (Samples(text[..bar]), Samples(text[(bar + 1)..])) : (Samples(text), null);
            var (cpu, refCpu) = Split(cells[3]);
            var (wall, refWall) = Split(cells[4]);
            var timing = new PassTiming(
                int.Parse(cells[1], NumberStyles.Integer, CultureInfo.InvariantCulture),
                cpu,
                wall,
                double.Parse(cells[2], NumberStyles.Float, CultureInfo.InvariantCulture),
                refCpu,
                refWall);
            if (!result.TryGetValue(arch, out var list))
            {
                result[arch] = list = [];
            }

            if (list.All(p => p.Pass != timing.Pass))
            {
                list.Add(timing);
            }
        }

        return result;
    }

    /// <summary>The data rows of one of the two files (the header and blank lines skipped), each with its line.</summary>
    private static IEnumerable<(IReadOnlyList<string> Cells, SourceLocation Location)> Rows(string path, int columns)
    {
        // Bounded as every input: a file far larger than any measurement run is not one of ours.
        var lines = BoundedFile.ReadAllText(path, Measurements.MeasurementsCsv.MaxBytes, MeasuringErrors.CannotResume, "the measurements to resume").Split('\n').Select(l => l.TrimEnd('\r')).ToArray();
        for (var li = 1; li < lines.Length; li++)
        {
            if (lines[li].Length == 0)
            {
                continue;
            }

            var cells = Csv.Fields(lines[li]);
            var location = new SourceLocation(path, li + 1, 1);
            if (cells.Count != columns)
            {
                throw Resume(location, $"row has {cells.Count} cells, expected {columns}");
            }

            yield return (cells, location);
        }
    }

    public void AppendPass(Arch arch, PassTiming timing)
    {
        ArgumentNullException.ThrowIfNull(arch);
        ArgumentNullException.ThrowIfNull(timing);
        AppendRow(JournalPath, [
            ArchJson.Write(arch),
            Num(timing.Pass),
            Num(timing.PrepareMs),
            Cell(timing.CpuMs, timing.RefCpuMs),
            Cell(timing.WallMs, timing.RefWallMs),
            Settings,
        ]);
    }

    public void AppendResult(ArchMeasurement m)
    {
        ArgumentNullException.ThrowIfNull(m);
        AppendRow(Path, [
            ArchJson.Write(m.Arch), Num(m.LatencyMs), Num(m.CpuMs), Num(m.WallMs), Num(m.Q1Ms), Num(m.Q3Ms), Num(m.LowerMs), Num(m.UpperMs),
            m.PassSpreadPct.ToString("0.##", CultureInfo.InvariantCulture), Num(m.Runs), Num(m.Passes), Num(m.Retries), m.Unstable ? "1" : "0",
            Num(m.PrepareMs), _protocol.ClockName, _space.Name, .. _identity.Values,
        ]);
    }

    private static string Cell(IReadOnlyList<double> samples, IReadOnlyList<double>? reference) =>
        string.Join(';', samples.Select(Num)) + (reference is null ? string.Empty : "|" + string.Join(';', reference.Select(Num)));

    private static string Num(double value) => value.ToString("0.####", CultureInfo.InvariantCulture);

    private static string Num(int value) => value.ToString(CultureInfo.InvariantCulture);

    private static LatencyGateException Resume(SourceLocation location, string message) =>
        new(MeasuringErrors.CannotResume, $"cannot resume into this file: {message}; measure into another --out (or delete this file and its .passes.csv)", location);

    /// <summary>
    /// The measurements are appended row by row (a rerun resumes), so the file must be a regular one:
    /// opening a FIFO to write blocks until a reader comes, and a device or kernel file (even through a
    /// symbolic link) would swallow or refuse the rows.
    /// </summary>
    private static void RequireRegularFile(string path)
    {
        if (BoundedFile.IsSpecial(path))
        {
            throw NotWritable(path, "it is a folder, FIFO, socket or terminal; name a regular file");
        }

        try
        {
            var target = File.Exists(path) ? new FileInfo(path).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? System.IO.Path.GetFullPath(path) : System.IO.Path.GetFullPath(path);
            if (OutputFile.SystemRootOf(target) is not null)
            {
                throw NotWritable(path, $"it is {target}, a device or kernel file; name a regular file");
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException)
        {
            throw NotWritable(path, ex.Message);
        }
    }

    private static LatencyGateException NotWritable(string path, string reason) => path.Length == 0
        ? new(MeasuringErrors.OutputNotWritable, "cannot write measurements: the path is empty; name a file")
        : new(MeasuringErrors.OutputNotWritable, $"cannot write measurements: {reason}", new SourceLocation(path));

    private static bool OpenOne(string path, IReadOnlyList<string> columns)
    {
        var header = string.Join(',', columns);
        RequireRegularFile(path);
        try
        {
            if (!File.Exists(path) || new FileInfo(path).Length == 0)
            {
                var dir = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path));
                if (dir is not null && !Directory.Exists(dir))
                {
                    throw NotWritable(path, $"the folder {dir} does not exist");
                }

                try
                {
                    File.WriteAllText(path, header + "\n");
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentOutOfRangeException)
                {
                    // A full disk creates the file and refuses its header: leave no empty file behind.
                    TryDelete(path);
                    throw;
                }

                return true;
            }

            using var stream = new FileStream(path, FileMode.Open, FileAccess.ReadWrite);
            // The header first, then the torn line: a file of no line break at all ('hello world', a
            // user's own file) was one torn line, cut to nothing, and the run wrote its rows over it.
            var (first, complete) = FirstLine(stream);
            if (!complete && header.StartsWith(first, StringComparison.Ordinal))
            {
                // A run killed while it wrote the header.
                stream.SetLength(0);
                stream.Write(Encoding.UTF8.GetBytes(header + "\n"));
                return false;
            }

            if (!complete || first != header)
            {
                throw new LatencyGateException(
                    MeasuringErrors.CannotResume,
                    $"the file exists and is not a measurements file of this tool (header '{Truncate(first)}'); measure into another --out",
                    new SourceLocation(path, 1, 1));
            }

            CutTornLine(stream);
            return false;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentOutOfRangeException)
        {
            throw NotWritable(path, ex.Message);
        }
    }

    /// <summary>The file's first line (a byte order mark and a '\r' before its '\n' dropped, as a reader does), read no further than a header can reach; whether its line break was found.</summary>
    private static (string Line, bool Complete) FirstLine(FileStream stream)
    {
        var buffer = new byte[(int)Math.Min(stream.Length, 64 * 1024)];
        stream.Position = 0;
        stream.ReadExactly(buffer);
        var end = Array.IndexOf(buffer, (byte)'\n');
        var line = Encoding.UTF8.GetString(buffer, 0, end < 0 ? buffer.Length : end).TrimStart('\uFEFF');
        return end < 0 ? (line, false) : (line.TrimEnd('\r'), true);
    }

    // A SIGKILL between the bytes of one row leaves a line without its newline: drop it.
    private static void CutTornLine(FileStream stream)
    {
        if (stream.Length == 0)
        {
            return;
        }

        stream.Position = stream.Length - 1;
        if (stream.ReadByte() == '\n')
        {
            return;
        }

        var buffer = new byte[stream.Length];
        stream.Position = 0;
        stream.ReadExactly(buffer);
        var last = Array.LastIndexOf(buffer, (byte)'\n');
        stream.SetLength(last + 1);
        stream.Flush(flushToDisk: true);
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Best effort: the write's error is the one to report.
        }
    }

    private static string Truncate(string? text) => text is null ? string.Empty : text.Length > 60 ? text[..60] + "…" : text;

    private static void AppendRow(string path, IEnumerable<string> cells)
    {
        var bytes = Encoding.UTF8.GetBytes(Csv.Row(cells) + "\n");
        try
        {
            // Unbuffered, so that a disk that fills up mid-row can be cut back to the last whole row:
            // a failed run leaves no torn row for fit to trip over.
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Write, FileShare.Read, bufferSize: 0);
            var before = stream.Seek(0, SeekOrigin.End);
            try
            {
                stream.Write(bytes);
                stream.Flush(flushToDisk: true);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentOutOfRangeException)
            {
                try
                {
                    stream.SetLength(before);
                }
                catch (Exception cut) when (cut is IOException or UnauthorizedAccessException)
                {
                    // The resume cuts a torn line as well (CutTornLine); the write's error is the one to report.
                }

                throw;
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentOutOfRangeException)
        {
            // ArgumentOutOfRangeException: .NET's word for EFBIG, a file over the size the system allows.
            throw NotWritable(path, ex.Message);
        }
    }
}
