using System.Globalization;
using System.IO.Compression;
using LatencyGate.Files;
using LatencyGate.Learning.WeightFiles.Pickle;

namespace LatencyGate.Learning.WeightFiles;

/// <summary>
/// PyTorch's zip checkpoints (torch.save since 1.6): <c>PREFIX/data.pkl</c> holds the object pickle and
/// <c>PREFIX/data/KEY</c> the raw little-endian bytes of each storage. Nothing is extracted to disk;
/// entries are read into memory after their names and sizes are checked.
/// </summary>
internal static class TorchZipReader
{
    // Deflate cannot expand data more than about 1032:1; an entry claiming more is a zip bomb.
    private const long MaxDeflateRatio = 1032;

    public static WeightFile Read(string path)
    {
        FileStream stream;
        try
        {
            BoundedFile.Probe(path, Array.MaxLength, WeightFileCodes.Unreadable, "the weights file");
            stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw WeightFileError.At(path, WeightFileCodes.Unreadable, "Cannot read the weights file: " + e.Message);
        }

        using (stream)
        {
            ZipArchive archive;
            try
            {
                archive = new ZipArchive(stream, ZipArchiveMode.Read);
            }
            catch (InvalidDataException e)
            {
                throw WeightFileError.At(path, WeightFileCodes.ZipMalformed, "Not a readable zip archive: " + e.Message);
            }

            using (archive)
            {
                return Read(archive, path, stream.Length);
            }
        }
    }

    private static WeightFile Read(ZipArchive archive, string path, long fileLength)
    {
        var entries = new Dictionary<string, ZipArchiveEntry>(StringComparer.Ordinal);
        foreach (var entry in archive.Entries)
        {
            CheckName(entry.FullName, path);
            if (!entries.TryAdd(entry.FullName, entry))
            {
                throw WeightFileError.At(path, WeightFileCodes.ZipMalformed, $"Zip entry '{entry.FullName}' appears twice; refusing the ambiguous archive.");
            }
        }

        var pickles = entries.Keys.Where(n => n.Count(c => c == '/') == 1 && n.EndsWith("/data.pkl", StringComparison.Ordinal)).ToList();
        if (pickles.Count != 1)
        {
            throw WeightFileError.At(path, WeightFileCodes.ZipMalformed, string.Create(CultureInfo.InvariantCulture,
                $"A PyTorch zip checkpoint has exactly one PREFIX/data.pkl; this archive has {pickles.Count}."));
        }

        var prefix = pickles[0][..^"data.pkl".Length];
        if (entries.TryGetValue(prefix + "byteorder", out var byteOrder)
            && System.Text.Encoding.ASCII.GetString(ReadEntry(byteOrder, path, fileLength)).Trim() != "little")
        {
            throw WeightFileError.At(path, WeightFileCodes.UnsupportedTensorType, "Big-endian checkpoints are not supported.");
        }

        var pickle = ReadEntry(entries[pickles[0]], path, fileLength);
        var result = PickleMachine.Load(pickle, 0, path);
        var selected = TorchStateDict.Select(result.Value, path);
        var cache = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        var tensors = TorchStateDict.Materialize(selected, storage =>
        {
            if (!cache.TryGetValue(storage.Key, out var bytes))
            {
                var name = prefix + "data/" + storage.Key;
                if (!entries.TryGetValue(name, out var entry))
                {
                    throw WeightFileError.At(path, WeightFileCodes.ZipMalformed, $"Storage entry '{name}' is missing from the archive.");
                }

                var expected = checked(storage.ElementCount * TensorDecoding.SizeOf(storage.DType));
                if (entry.Length != expected)
                {
                    throw WeightFileError.At(path, WeightFileCodes.TensorOverrunsStorage, string.Create(CultureInfo.InvariantCulture,
                        $"Storage '{storage.Key}' declares {storage.ElementCount} {storage.DType} elements ({expected} bytes) but its entry holds {entry.Length} bytes."));
                }

                bytes = ReadEntry(entry, path, fileLength);
                cache[storage.Key] = bytes;
            }

            return bytes;
        }, path);
        return new WeightFile(path, WeightFileFormat.TorchZip, tensors, new Dictionary<string, string>(StringComparer.Ordinal));
    }

    /// <summary>Refuses names that would leave an extraction folder, even though nothing is extracted.</summary>
    private static void CheckName(string name, string path)
    {
        var segments = name.Split('/');
        if (name.Length == 0 || name[0] == '/' || name.Contains('\\', StringComparison.Ordinal) || name.Contains(':', StringComparison.Ordinal)
            || segments.Any(s => s == ".."))
        {
            throw WeightFileError.At(path, WeightFileCodes.ZipUnsafeEntry, $"Zip entry '{name}' escapes the archive (absolute path, drive, backslash or '..'); refusing the file.");
        }
    }

    private static byte[] ReadEntry(ZipArchiveEntry entry, string path, long fileLength)
    {
        if (entry.CompressedLength > fileLength || entry.Length > Array.MaxLength
            || entry.Length > (MaxDeflateRatio * entry.CompressedLength) + 1024)
        {
            throw WeightFileError.At(path, WeightFileCodes.ZipMalformed, string.Create(CultureInfo.InvariantCulture,
                $"Zip entry '{entry.FullName}' claims {entry.Length} bytes from {entry.CompressedLength} compressed in a {fileLength}-byte file."));
        }

        var bytes = new byte[entry.Length];
        try
        {
            using var s = entry.Open();
            s.ReadExactly(bytes);
            return bytes;
        }
        catch (Exception e) when (e is InvalidDataException or EndOfStreamException or IOException or NotSupportedException)
        {
            throw WeightFileError.At(path, WeightFileCodes.ZipMalformed, $"Zip entry '{entry.FullName}' cannot be read: {e.Message}");
        }
    }
}
