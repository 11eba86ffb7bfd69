using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using LatencyGate.Diagnostics;
using LatencyGate.Measuring;
using LatencyGate.Spaces;

namespace LatencyGate.MSBuild;

/// <summary>
/// Measures a measured device's arch by running the tool's <c>measure</c> in its own process
/// (<c>LatencyGateMeasureCommand</c>, e.g. <c>dotnet latency-gate</c>): the build never loads ONNX
/// Runtime or libtorch, and the figures are those the tool's own <c>check</c> would take, since the
/// protocol is passed option by option and the result read back from the measurements CSV it writes.
/// Bounded by a timeout; cancelling the build kills the tool.
/// </summary>
internal sealed partial class ToolMeasurer(IReadOnlyList<string> command, TimeSpan timeout, Action<string> log) : IArchMeasurer
{
    private const int StderrLinesKept = 40;
    private const int StdoutLinesLogged = 1000;
    private static readonly TimeSpan StreamDrain = TimeSpan.FromSeconds(5);

    public MeasuredArch Measure(string runtime, SourceLocation? at, OfaSpace space, MeasurementProtocol protocol, Arch arch, CancellationToken cancellation)
    {
        DirectoryInfo? folder = null;
        string archs;
        try
        {
            folder = Directory.CreateTempSubdirectory("latency-gate-measure-");
            archs = Path.Combine(folder.FullName, "arch.txt");
            File.WriteAllText(archs, arch.CanonicalKey + "\n");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            Remove(folder);
            throw new LatencyGateException(TaskCodes.MeasureToolFailed, $"cannot write the arch for the tool into a temporary folder ({ex.Message}); check TMPDIR", at);
        }

        try
        {
            var csv = Path.Combine(folder.FullName, "measured.csv");
            var start = new ProcessStartInfo(command[0])
            {
                // Its own empty stdin: the tool never reads one, and must not take the terminal's from the build.
                RedirectStandardInput = true,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };

            // From the manifest's folder, so `dotnet latency-gate` finds a local tool (dotnet-tools.json) of the repository.
            if (Path.GetDirectoryName(at?.File) is { Length: > 0 } folderOfManifest && Directory.Exists(folderOfManifest))
            {
                start.WorkingDirectory = folderOfManifest;
            }

            foreach (var word in command.Skip(1).Concat(["measure", "--space", space.Name, "--archs", archs, "--runtime", runtime, "--out", csv]).Concat(protocol.MeasureArguments()))
            {
                start.ArgumentList.Add(word);
            }

            var exitCode = Run(start, at, cancellation, out var stderr);
            if (exitCode != 0)
            {
                throw Failed(exitCode, stderr, at);
            }

            // ReadFinished is measure's resume reader, whose words ("cannot read the measurements to resume") fit no tool that wrote nothing.
            if (!File.Exists(csv))
            {
                throw new LatencyGateException(TaskCodes.MeasureToolFailed, $"'{CommandText}' measure exited 0 but wrote no measurements file: is it LatencyGate's tool?", at);
            }

            IReadOnlyList<(ArchMeasurement Measurement, string Runtime, string RuntimeVersion)> rows;
            try
            {
                rows = MeasurementFiles.ReadFinished(csv, space);
            }
            catch (LatencyGateException ex)
            {
                throw new LatencyGateException(TaskCodes.MeasureToolFailed, $"'{CommandText}' measure exited 0 but its measurements could not be read: {ex.Diagnostics[0].Message}", at);
            }

            var row = rows.FirstOrDefault(r => r.Measurement.Arch.CanonicalKey == arch.CanonicalKey);
            return row.Measurement is null
                ? throw new LatencyGateException(TaskCodes.MeasureToolFailed, $"'{CommandText}' measure exited 0 but wrote no row for {arch.CanonicalKey}", at)
                : new MeasuredArch(row.Measurement, row.Runtime, row.RuntimeVersion);
        }
        finally
        {
            Remove(folder);
        }
    }

    private static void Remove(DirectoryInfo? folder)
    {
        try
        {
            folder?.Delete(recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    /// <summary>The property's value split into words: blanks separate them, double quotes keep a path with spaces whole.</summary>
    public static IReadOnlyList<string> Words(string text)
    {
        var words = new List<string>();
        var word = new System.Text.StringBuilder();
        var quoted = false;
        var any = false;
        foreach (var c in text)
        {
            if (c == '"')
            {
                quoted = !quoted;
                any = true;
            }
            else if (char.IsWhiteSpace(c) && !quoted)
            {
                if (any)
                {
                    words.Add(word.ToString());
                    word.Clear();
                    any = false;
                }
            }
            else
            {
                word.Append(c);
                any = true;
            }
        }

        if (any)
        {
            words.Add(word.ToString());
        }

        return words;
    }

    private string CommandText => string.Join(' ', command);

    private int Run(ProcessStartInfo start, SourceLocation? at, CancellationToken cancellation, out IReadOnlyList<string> stderr)
    {
        var errors = new Queue<string>();
        using var process = new Process { StartInfo = start };
        try
        {
            process.Start();
        }
        catch (Win32Exception ex)
        {
            throw new LatencyGateException(
                TaskCodes.MeasureToolNotStarted,
                $"LatencyGateMeasureCommand '{EchoText.Cut(CommandText)}' could not be started ({ex.Message}); install the tool (`dotnet tool install -g LatencyGate.Tool`, see the README) and set the property to the command that runs it, e.g. 'dotnet latency-gate' or a path to dotnet-latency-gate",
                at);
        }

        process.StandardInput.Close();

        // Read by us, in bounded pieces, rather than by BeginOutputReadLine: a tool that prints one
        // endless line held it whole in memory, and one that prints without end flooded the log.
        var logged = 0;
        var readers = new[]
        {
            Task.Run(() => ReadLines(process.StandardOutput, line =>
            {
                if (line.Length > 0 && ++logged <= StdoutLinesLogged)
                {
                    log(EchoText.OneLine(line));
                }
            })),
            Task.Run(() => ReadLines(process.StandardError, line =>
            {
                lock (errors)
                {
                    errors.Enqueue(line);
                    if (errors.Count > StderrLinesKept)
                    {
                        errors.Dequeue();
                    }
                }
            })),
        };
        var deadline = Stopwatch.StartNew();
        // Bounded: polled so that a cancelled build and the timeout both end the tool.
        while (!process.WaitForExit(200))
        {
            if (cancellation.IsCancellationRequested || deadline.Elapsed > timeout)
            {
                try
                {
                    process.Kill(entireProcessTree: true);
                }
                catch (InvalidOperationException)
                {
                }

                process.WaitForExit(5000);
                cancellation.ThrowIfCancellationRequested();
                throw new LatencyGateException(
                    TaskCodes.MeasureTimedOut,
                    string.Create(CultureInfo.InvariantCulture, $"measuring took longer than {timeout.TotalSeconds:0} s and was stopped; raise LatencyGateMeasureTimeout, or measure with fewer runs or passes"),
                    at);
            }
        }

        // The tool has exited; its streams end with it unless a process it left behind still holds
        // them (a script's `cmd &`). Waiting for that one without bound hung the build.
        if (!Task.WaitAll(readers, StreamDrain))
        {
            log("the tool exited, but a process it started still holds its output open; not waiting for it");
        }

        if (logged > StdoutLinesLogged)
        {
            log(string.Create(CultureInfo.InvariantCulture, $"… {logged - StdoutLinesLogged:N0} more lines of the tool's output not shown"));
        }

        lock (errors)
        {
            stderr = [.. errors];
        }

        return process.ExitCode;
    }

    /// <summary>
    /// Calls <paramref name="onLine"/> for each line of <paramref name="reader"/>, a line longer than
    /// <see cref="EchoText.MaxChars"/> cut as <see cref="EchoText.Cut"/> does, without ever holding more
    /// of it than that; ends at the end of the stream or when it can no longer be read.
    /// </summary>
    internal static void ReadLines(TextReader reader, Action<string> onLine)
    {
        var buffer = new char[4096];
        var line = new System.Text.StringBuilder();
        long length = 0;
        var pending = false;

        void Emit()
        {
            var text = line.ToString();
            onLine(length <= EchoText.MaxChars ? text : string.Create(CultureInfo.InvariantCulture, $"{text}… ({length:N0} chars)"));
            line.Clear();
            length = 0;
            pending = false;
        }

        try
        {
            int read;
            while ((read = reader.Read(buffer, 0, buffer.Length)) > 0)
            {
                for (var i = 0; i < read; i++)
                {
                    var c = buffer[i];
                    if (c == '\n')
                    {
                        if (line.Length > 0 && line[^1] == '\r' && length <= EchoText.MaxChars)
                        {
                            line.Length--;
                            length--;
                        }

                        Emit();
                        continue;
                    }

                    pending = true;
                    if (++length <= EchoText.MaxChars)
                    {
                        line.Append(c);
                    }
                }
            }
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException)
        {
        }

        if (pending)
        {
            Emit();
        }
    }

    /// <summary>The tool's own coded errors, passed on at the device's manifest line; a generic one when it gave none.</summary>
    private LatencyGateException Failed(int exitCode, IReadOnlyList<string> stderr, SourceLocation? at)
    {
        var coded = stderr
            .Select(line => ToolError().Match(line))
            .Where(m => m.Success)
            .Select(m => Diagnostic.Error(m.Groups["code"].Value, "measuring in the tool: " + EchoText.OneLine(EchoText.Cut(m.Groups["message"].Value)), at))
            .ToArray();
        if (coded.Length > 0)
        {
            return new LatencyGateException(coded);
        }

        var tail = EchoText.OneLine(string.Join(" | ", stderr.Where(l => l.Trim().Length > 0).TakeLast(3)));
        return new LatencyGateException(
            TaskCodes.MeasureToolFailed,
            EchoText.Cut(string.Create(CultureInfo.InvariantCulture, $"'{CommandText}' measure failed with exit code {exitCode}{(tail.Length == 0 ? string.Empty : ": " + tail)}")),
            at);
    }

    [GeneratedRegex(@"\berror (?<code>LG\d{4}): (?<message>.*)$")]
    private static partial Regex ToolError();
}
