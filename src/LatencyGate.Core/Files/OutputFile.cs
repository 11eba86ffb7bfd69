using System.Text;
using LatencyGate.Diagnostics;

namespace LatencyGate.Files;

/// <summary>
/// Writes an output file atomically (a temporary file in the same folder, then a rename) and turns
/// every way an output path can be wrong (a folder, a file where a folder is needed, a folder
/// that cannot be created, no permission) into LG0045 naming the path.
/// </summary>
internal static class OutputFile
{
    /// <summary>Writes through a temporary file and a rename; a failure is <paramref name="code"/> (LG0045 unless the caller documents its own).</summary>
    public static void Write(string path, Action<Stream> write, string what, string code = InputErrors.OutputUnwritable)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(write);
        WriteGroup([(path, write)], what, code);
    }

    /// <summary>
    /// Writes several files as one output (the reports of one run): every temporary file first, then
    /// the renames. A failure on the way (a disk that fills up at the third report) leaves none of them
    /// replaced, so the folder never holds this run's JSON beside the last run's HTML.
    /// </summary>
    public static void WriteGroup(IReadOnlyList<(string Path, Action<Stream> Write)> files, string what, string code = InputErrors.OutputUnwritable)
    {
        ArgumentNullException.ThrowIfNull(files);
        var staged = new List<(string Temp, string Full)>();
        var madeFolders = new List<string>();
        var current = string.Empty;
        var done = false;
        try
        {
            foreach (var (path, write) in files)
            {
                current = path;
                var full = Path.GetFullPath(path);
                if (Directory.Exists(full) || Path.EndsInDirectorySeparator(path))
                {
                    throw Fail(path, what, FolderReason(path), code);
                }

                RefuseSystemPath(full, path, what, code);

                var parent = Path.GetDirectoryName(full) ?? ".";
                if (TopMissingFolder(parent) is { } top)
                {
                    madeFolders.Add(top);
                }

                var folder = EnsureFolder(parent, what, code);
                var temp = Path.Combine(folder, "." + Path.GetFileName(full) + "." + Path.GetRandomFileName() + ".tmp");
                PendingTemps.Add(temp);
                staged.Add((temp, full));
                using var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None);
                write(stream);
                stream.Flush(flushToDisk: true);
            }

            for (var i = 0; i < staged.Count; i++)
            {
                current = files[i].Path;
                File.Move(staged[i].Temp, staged[i].Full, overwrite: true);
            }

            done = true;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw Fail(current, what, ex.Message, code);
        }
        finally
        {
            foreach (var (temp, _) in staged)
            {
                TryDelete(temp);
                PendingTemps.Remove(temp);
            }

            // Folders this write made for files it then could not write leave with it (init's starter folders).
            if (!done)
            {
                foreach (var folder in Enumerable.Reverse(madeFolders))
                {
                    TryDeleteEmptyTree(folder);
                }
            }
        }
    }

    /// <summary>Why a path that names a folder (one that exists, or any ending in '/') cannot be the file written.</summary>
    private static string FolderReason(string path) =>
        Path.EndsInDirectorySeparator(path) && !Directory.Exists(Path.GetFullPath(path))
            ? "it ends with a folder separator, so it names a folder; name a file in it"
            : "it is a folder; name a file";

    /// <summary>The outermost folder of <paramref name="folder"/>'s chain that does not exist yet (what creating it makes), or null.</summary>
    private static string? TopMissingFolder(string folder)
    {
        string? top = null;
        for (var f = folder; f is not null && !Directory.Exists(f) && !File.Exists(f); f = Path.GetDirectoryName(f))
        {
            top = f;
        }

        return top;
    }

    private static void TryDeleteEmptyTree(string folder)
    {
        try
        {
            if (Directory.Exists(folder) && !Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories).Any())
            {
                Directory.Delete(folder, recursive: true);
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Best effort: the write's error is the one to report.
        }
    }

    public static void WriteText(string path, string text, string what) =>
        Write(path, stream => stream.Write(new UTF8Encoding(false).GetBytes(text)), what);

    /// <summary>
    /// Refuses, before any long work, an output path that cannot be a file: a folder, or a path
    /// under a file or under a folder that does not exist and cannot be made (e.g. in /proc).
    /// </summary>
    public static void CheckWritable(string path, string what)
    {
        ArgumentNullException.ThrowIfNull(path);
        try
        {
            var full = Path.GetFullPath(path);
            if (Directory.Exists(full) || Path.EndsInDirectorySeparator(path))
            {
                throw Fail(path, what, FolderReason(path));
            }

            RefuseSystemPath(full, path, what);

            for (var folder = Path.GetDirectoryName(full); folder is not null; folder = Path.GetDirectoryName(folder))
            {
                if (File.Exists(folder))
                {
                    throw Fail(path, what, $"{EchoText.Cut(folder)} is a file, not a folder");
                }

                if (Directory.Exists(folder))
                {
                    return;
                }
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw Fail(path, what, ex.Message);
        }
    }

    /// <summary>
    /// Refuses, before any work, a path that cannot become an output folder: a file, a system folder,
    /// or a path under a file. A missing folder is fine (it is created when written).
    /// </summary>
    public static void CheckWritableFolder(string path, string what, string code = InputErrors.OutputUnwritable)
    {
        ArgumentNullException.ThrowIfNull(path);
        try
        {
            var full = Path.GetFullPath(path);
            RefuseSystemPath(full.EndsWith('/') ? full : full + "/", path, what, code);
            for (var folder = full; folder is not null; folder = Path.GetDirectoryName(folder))
            {
                if (File.Exists(folder))
                {
                    throw Fail(path, what, folder == full ? "a file of that name exists where a folder is needed" : $"{EchoText.Cut(folder)} is a file, not a folder", code);
                }

                if (Directory.Exists(folder))
                {
                    return;
                }
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw Fail(path, what, ex.Message, code);
        }
    }

    /// <summary>
    /// Refuses, before any work, an output that is one of the command's own inputs: the same file (also
    /// through a symbolic link), or a file already inside an input folder (a table of the lookup-table
    /// folder being adapted). The write is atomic and comes after the read, so the result would be
    /// right, but the measurements or tables it was made from would be gone.
    /// </summary>
    /// <param name="output">The output path as given.</param>
    /// <param name="what">What the output is, for the message ("the predictor file").</param>
    /// <param name="inputs">Each input with the option (or manifest key) that named it; null paths and built-in profiles are skipped.</param>
    /// <param name="code">The command's "output cannot be written" code (LG0045 unless it documents its own).</param>
    public static void RefuseInput(string output, string what, IEnumerable<(string Option, string? Path)> inputs, string code = InputErrors.OutputUnwritable)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(inputs);
        if (output.Length == 0 || output.Contains('\0', StringComparison.Ordinal))
        {
            return;
        }

        // The write replaces a link at the output path, not what it points to: only its folder is resolved.
        var target = Resolved(Path.GetFullPath(output), finalLink: false);
        var comparison = OperatingSystem.IsLinux() ? StringComparison.Ordinal : StringComparison.OrdinalIgnoreCase;
        foreach (var (option, input) in inputs)
        {
            if (string.IsNullOrEmpty(input) || input.Contains('\0', StringComparison.Ordinal) || input.StartsWith("builtin:", StringComparison.Ordinal))
            {
                continue;
            }

            var source = Resolved(Path.GetFullPath(input), finalLink: true);
            if (string.Equals(source, target, comparison) && !Directory.Exists(source))
            {
                throw Fail(output, what, $"it is also the input {option} {EchoText.Cut(input)}: writing it would replace the file it is made from; name another file", code);
            }

            if (Directory.Exists(source) && File.Exists(target)
                && target.StartsWith(Path.TrimEndingDirectorySeparator(source) + Path.DirectorySeparatorChar, comparison))
            {
                throw Fail(output, what, $"it is a file of the input folder {option} {EchoText.Cut(input)}: writing it would replace what that folder holds; name a file outside it", code);
            }
        }
    }

    /// <summary>The file a path names in the end: symbolic links at its folder and at itself followed (the path itself when that fails).</summary>
    public static string FinalTarget(string fullPath) => Resolved(fullPath, finalLink: true);

    /// <summary>The path with a symbolic link at its folder (and with <paramref name="finalLink"/>, at itself) followed to the end.</summary>
    private static string Resolved(string fullPath, bool finalLink)
    {
        try
        {
            var folder = Path.GetDirectoryName(fullPath);
            if (folder is not null && Directory.Exists(folder) && new DirectoryInfo(folder).ResolveLinkTarget(returnFinalTarget: true) is { } realFolder)
            {
                fullPath = Path.Combine(realFolder.FullName, Path.GetFileName(fullPath));
            }

            return finalLink ? new FileInfo(fullPath).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? fullPath : fullPath;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException)
        {
            return fullPath;
        }
    }

    /// <summary>
    /// An atomic write renames over its target, so as root an output of /dev/null or /dev/zero would
    /// replace the device with a regular file: outputs under the kernel's own file systems are refused.
    /// </summary>
    private static void RefuseSystemPath(string full, string path, string what, string code = InputErrors.OutputUnwritable)
    {
        if (SystemRootOf(full) is { } root)
        {
            throw Fail(path, what, $"it is under {root}, a system folder of devices and kernel files; name a regular file", code);
        }
    }

    /// <summary>The kernel's file system (<c>/dev/</c>, <c>/proc/</c>, <c>/sys/</c>) a full path lies under, or null (always null on Windows).</summary>
    public static string? SystemRootOf(string fullPath) =>
        OperatingSystem.IsWindows() ? null : SystemRoots.FirstOrDefault(root => fullPath.StartsWith(root, StringComparison.Ordinal));

    private static readonly string[] SystemRoots = ["/dev/", "/proc/", "/sys/"];

    /// <summary>Creates <paramref name="folder"/> if needed; a file in its place is LG0045.</summary>
    public static string EnsureFolder(string folder, string what, string code = InputErrors.OutputUnwritable)
    {
        ArgumentNullException.ThrowIfNull(folder);
        try
        {
            if (File.Exists(folder))
            {
                throw Fail(folder, what, "a file of that name exists where a folder is needed", code);
            }

            Directory.CreateDirectory(folder);
            return folder;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw Fail(folder, what, ex.Message, code);
        }
    }

    private static LatencyGateException Fail(string path, string what, string problem, string code = InputErrors.OutputUnwritable) =>
        path.Length == 0
            ? new(code, $"cannot write {what}: the path is empty; name a file or folder")
            : new(code, $"cannot write {what} {EchoText.Cut(path)}: {problem}", new SourceLocation(path));

    private static void TryDelete(string temp)
    {
        try
        {
            if (temp.Length > 0 && File.Exists(temp))
            {
                File.Delete(temp);
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Best effort: the error that follows is what the user needs to see.
        }
    }
}
