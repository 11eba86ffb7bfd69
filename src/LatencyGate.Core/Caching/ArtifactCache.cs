using System.Buffers.Binary;
using System.Security.Cryptography;
using LatencyGate.Diagnostics;
using LatencyGate.Files;

namespace LatencyGate.Caching;

/// <summary>
/// A folder of build artifacts (fitted or adapted predictors) keyed by <see cref="CacheKey"/>.
/// Entries are self-checking (magic, the key they were built for, length, SHA-256 of the payload:
/// an entry copied or renamed under another key is refused) and written atomically
/// (temp file in the same folder, then rename), so a reader never sees a half-written entry and
/// two processes building the same key both end with a correct entry: building is deterministic,
/// so whichever rename lands last writes the same bytes. A corrupt entry is reported as a warning
/// and rebuilt.
/// </summary>
internal sealed class ArtifactCache
{
    private static readonly byte[] Magic = "LGCACHE2"u8.ToArray();

    // magic, SHA-256 of the key, payload length, SHA-256 of the payload
    private const int HeaderLength = 8 + 32 + 8 + 32;
    private const int MaxReplaceAttempts = 5;

    private readonly string _directory;

    public ArtifactCache(string directory)
    {
        _directory = Path.GetFullPath(directory);
    }

    public string Directory => _directory;

    public string PathFor(string key) => Path.Combine(_directory, key + ".lgc");

    /// <summary>
    /// Returns the cached payload for <paramref name="key"/> decoded by <paramref name="decode"/>, or
    /// builds, stores and returns it. <paramref name="decode"/> throwing on a stored payload counts as
    /// corruption too. Warnings (corrupt entries, unwritable cache) go to <paramref name="diagnostics"/>.
    /// A null payload from <paramref name="build"/> means the value cannot be stored: nothing is written.
    /// </summary>
    public T GetOrBuild<T>(string key, Func<(T Value, byte[]? Payload)> build, Func<byte[], T> decode, DiagnosticBag diagnostics, out bool hit)
    {
        var path = PathFor(key);
        // A folder or a FIFO at the entry's path is a corrupt entry too, not an absent one.
        if (File.Exists(path) || System.IO.Directory.Exists(path))
        {
            var payload = TryRead(path, key, out var problem);
            if (payload is not null)
            {
                try
                {
                    var value = decode(payload);
                    hit = true;
                    return value;
                }
                catch (LatencyGateException ex)
                {
                    problem = ex.Diagnostics.Count > 0 ? ex.Diagnostics[0].Message : ex.Message;
                }
            }

            diagnostics.Warning(CacheErrors.CorruptEntry, $"cache entry {path} is corrupt ({problem}); rebuilding it", new SourceLocation(path));
        }

        var built = build();
        if (built.Payload is not null)
        {
            TryWrite(path, key, built.Payload, diagnostics);
        }

        hit = false;
        return built.Value;
    }

    private static byte[] KeyHash(string key) => SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(key));

    private static byte[]? TryRead(string path, string key, out string problem)
    {
        byte[] bytes;
        try
        {
            bytes = BoundedFile.ReadAllBytes(path, Array.MaxLength, CacheErrors.CorruptEntry, "the cache entry");
        }
        catch (LatencyGateException ex)
        {
            // Unreadable (mode 000), a folder, a FIFO: a corrupt entry like any other, rebuilt.
            problem = ex.Diagnostics[0].Message;
            return null;
        }

        if (bytes.Length < HeaderLength || !bytes.AsSpan(0, 8).SequenceEqual(Magic))
        {
            problem = "bad header, or written by another version";
            return null;
        }

        if (!bytes.AsSpan(8, 32).SequenceEqual(KeyHash(key)))
        {
            problem = "it was built for another key: copied, renamed or swapped with another entry";
            return null;
        }

        var length = BinaryPrimitives.ReadInt64LittleEndian(bytes.AsSpan(40, 8));
        if (length != bytes.Length - HeaderLength)
        {
            problem = "truncated or padded";
            return null;
        }

        var payload = bytes.AsSpan(HeaderLength).ToArray();
        if (!SHA256.HashData(payload).AsSpan().SequenceEqual(bytes.AsSpan(48, 32)))
        {
            problem = "checksum mismatch";
            return null;
        }

        problem = string.Empty;
        return payload;
    }

    private void TryWrite(string path, string key, byte[] payload, DiagnosticBag diagnostics)
    {
        var temp = Path.Combine(_directory, $".{Path.GetFileName(path)}.{Environment.ProcessId}.{Environment.CurrentManagedThreadId}.{Guid.NewGuid():N}.tmp");
        Files.PendingTemps.Add(temp);
        try
        {
            System.IO.Directory.CreateDirectory(_directory);
            using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                Span<byte> header = stackalloc byte[HeaderLength];
                Magic.CopyTo(header);
                KeyHash(key).CopyTo(header[8..]);
                BinaryPrimitives.WriteInt64LittleEndian(header[40..], payload.Length);
                SHA256.HashData(payload).CopyTo(header[48..]);
                stream.Write(header);
                stream.Write(payload);
                stream.Flush(flushToDisk: true);
            }

            // Windows can refuse a rename over a file another process is reading; retry a bounded number of times.
            for (var attempt = 1; ; attempt++)
            {
                try
                {
                    File.Move(temp, path, overwrite: true);
                    return;
                }
                catch (IOException) when (attempt < MaxReplaceAttempts)
                {
                    Thread.Sleep(20 * attempt);
                }
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            diagnostics.Warning(CacheErrors.Unwritable, $"could not write cache entry {path}: {ex.Message}; continuing without caching it", new SourceLocation(path));
            TryDelete(temp);
        }
        finally
        {
            Files.PendingTemps.Remove(temp);
        }
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Best effort: a stray temp file is harmless and never read as an entry.
        }
    }
}
