using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using LatencyGate.Diagnostics;
using Microsoft.Win32.SafeHandles;

namespace LatencyGate.Files;

/// <summary>
/// Reads an input file with a size limit, refusing what is not a regular file (a folder, a FIFO, a
/// device that never ends such as /dev/zero) before it can exhaust memory or block. Every failure
/// is a <see cref="LatencyGateException"/> with the caller's code, so each kind of input keeps its
/// own "cannot be read" code.
/// </summary>
internal static class BoundedFile
{
    /// <summary>Files whose size the system does not report (devices, /proc) are read up to this.</summary>
    public const long UnsizedLimit = 16L << 20;

    public static byte[] ReadAllBytes(string path, long maxBytes, string code, string what, SourceLocation? location = null) =>
        Guarded(path, code, what, location, fail =>
        {
            using var stream = Open(path, maxBytes, fail, out var length);
            // A device or /proc file reports no size: read at most a small limit, then refuse.
            var limit = length == 0 ? Math.Min(maxBytes, UnsizedLimit) : maxBytes;
            var buffer = new MemoryStream(length > 0 ? (int)Math.Min(length, int.MaxValue / 2) : 4096);
            var chunk = new byte[81920];
            long total = 0;
            int read;
            while ((read = ReadChunk(stream, chunk, unsized: length == 0)) > 0)
            {
                total += read;
                if (total > limit)
                {
                    throw fail(string.Create(CultureInfo.InvariantCulture, $"it holds more than the {Describe(limit)} accepted for {what}{(length == 0 ? " (it reports no size: a device or special file?)" : string.Empty)}"));
                }

                buffer.Write(chunk, 0, read);
            }

            return buffer.ToArray();
        });

    /// <summary>
    /// Checks, without reading it, that <paramref name="path"/> is a regular file of at most
    /// <paramref name="maxBytes"/> (for readers that stream or seek); returns its length.
    /// </summary>
    public static long Probe(string path, long maxBytes, string code, string what, SourceLocation? location = null) =>
        Guarded(path, code, what, location, fail =>
        {
            using var stream = Open(path, maxBytes, fail, out var length);
            if (length == 0 && stream.ReadByte() >= 0)
            {
                throw fail("it reports no size but has content (a device or special file?); pass a regular file");
            }

            return length;
        });

    /// <summary>
    /// Runs <paramref name="body"/> with the caller's failure factory, and turns what the file system
    /// throws into a <see cref="LatencyGateException"/> with the caller's code.
    /// </summary>
    private static T Guarded<T>(string path, string code, string what, SourceLocation? location, Func<Func<string, LatencyGateException>, T> body)
    {
        ArgumentNullException.ThrowIfNull(path);
        var at = location ?? new SourceLocation(path);
        LatencyGateException Fail(string problem) => new(code, $"cannot read {what} {EchoText.Cut(path)}: {problem}", at);
        try
        {
            return body(Fail);
        }
        catch (UnauthorizedAccessException ex)
        {
            throw Fail("permission denied (" + ex.Message + ")");
        }
        catch (IOException ex)
        {
            throw Fail(ex.Message);
        }
        catch (Exception ex) when (ex is ArgumentException or NotSupportedException)
        {
            throw Fail("not a usable path (" + ex.Message + ")");
        }
    }

    /// <summary>
    /// A character device such as /dev/zero is seekable with length 0, and FileStream then reports
    /// end of file at once; an unsized file is therefore read with the system's own read call.
    /// </summary>
    private static int ReadChunk(FileStream stream, byte[] chunk, bool unsized)
    {
        if (!unsized || OperatingSystem.IsWindows())
        {
            return stream.Read(chunk, 0, chunk.Length);
        }

        var read = NativeMethods.Read((int)stream.SafeFileHandle.DangerousGetHandle(), chunk, chunk.Length);
        if (read < 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            throw new IOException(string.Create(CultureInfo.InvariantCulture, $"read failed (errno {errno})"));
        }

        return (int)read;
    }

    private static FileStream Open(string path, long maxBytes, Func<string, LatencyGateException> fail, out long length)
    {
        if (path.Length == 0)
        {
            throw fail("the path is empty");
        }

        if (Directory.Exists(path))
        {
            throw fail("it is a folder, not a file");
        }

        var info = new FileInfo(path);
        if (!info.Exists)
        {
            throw fail("no such file");
        }

        if (info.Length > maxBytes)
        {
            throw fail(string.Create(CultureInfo.InvariantCulture, $"it has {info.Length:N0} bytes, more than the {Describe(maxBytes)} accepted"));
        }

        var stream = OpenWithoutBlocking(path);
        if (!stream.CanSeek)
        {
            stream.Dispose();
            throw fail("it is not a regular file (a FIFO, socket or terminal); pass a regular file");
        }

        length = info.Length;
        return stream;
    }

    /// <summary>
    /// Whether <paramref name="path"/> is a folder, a FIFO, a socket or a terminal: something an
    /// output that appends (the step summary) must not open, since opening a FIFO to write blocks
    /// until a reader comes. A missing path or a regular file is not special.
    /// </summary>
    public static bool IsSpecial(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (Directory.Exists(path))
        {
            return true;
        }

        if (!File.Exists(path))
        {
            return false;
        }

        try
        {
            using var stream = OpenWithoutBlocking(path);
            return !stream.CanSeek;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    /// <summary>
    /// Text read as <see cref="ReadAllBytes"/>: UTF-8 (a byte order mark dropped), or UTF-16 or UTF-32
    /// when a byte order mark says so (as YAML allows, and as Windows editors save "Unicode" text).
    /// </summary>
    public static string ReadAllText(string path, long maxBytes, string code, string what, SourceLocation? location = null)
    {
        var bytes = ReadAllBytes(path, maxBytes, code, what, location);
        var span = bytes.AsSpan();
        if (span.StartsWith("\uFEFF"u8))
        {
            return Encoding.UTF8.GetString(span[3..]);
        }

        // UTF-32 first: its little-endian mark begins with UTF-16's.
        ReadOnlySpan<byte> utf32Le = [0xFF, 0xFE, 0x00, 0x00];
        ReadOnlySpan<byte> utf32Be = [0x00, 0x00, 0xFE, 0xFF];
        return span.StartsWith(utf32Le) ? new UTF32Encoding(bigEndian: false, byteOrderMark: false).GetString(span[4..])
            : span.StartsWith(utf32Be) ? new UTF32Encoding(bigEndian: true, byteOrderMark: false).GetString(span[4..])
            : span.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xFE]) ? Encoding.Unicode.GetString(span[2..])
            : span.StartsWith((ReadOnlySpan<byte>)[0xFE, 0xFF]) ? Encoding.BigEndianUnicode.GetString(span[2..])
            : Encoding.UTF8.GetString(span);
    }

    private static string Describe(long bytes) => bytes >= 1L << 20
        ? string.Create(CultureInfo.InvariantCulture, $"{bytes >> 20} MB")
        : string.Create(CultureInfo.InvariantCulture, $"{bytes} bytes");

    /// <summary>
    /// Opening a FIFO for reading blocks until a writer appears; on Unix the file is opened with
    /// O_NONBLOCK (no effect on regular files) so a FIFO is seen, and refused, at once.
    /// </summary>
    private static FileStream OpenWithoutBlocking(string path)
    {
        var flag = OperatingSystem.IsLinux() ? 0x800 : OperatingSystem.IsMacOS() || OperatingSystem.IsFreeBSD() ? 0x4 : 0;
        if (flag == 0)
        {
            return new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan);
        }

        var fd = NativeMethods.Open(Encoding.UTF8.GetBytes(path + "\0"), flag | (OperatingSystem.IsLinux() ? 0x80000 : 0));
        if (fd < 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            throw errno is 13 or 1
                ? new UnauthorizedAccessException($"access to '{path}' is denied")
                : new IOException(string.Create(CultureInfo.InvariantCulture, $"cannot open '{path}' (errno {errno})"));
        }

        return new FileStream(new SafeFileHandle(fd, ownsHandle: true), FileAccess.Read, 1);
    }

    private static class NativeMethods
    {
        [DllImport("libc", EntryPoint = "open", SetLastError = true)]
        [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
        public static extern int Open(byte[] path, int flags);

        [DllImport("libc", EntryPoint = "read", SetLastError = true)]
        [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
        public static extern nint Read(int fd, byte[] buffer, nint count);
    }
}
