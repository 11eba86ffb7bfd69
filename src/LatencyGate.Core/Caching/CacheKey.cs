using System.Security.Cryptography;
using System.Text;
using LatencyGate.Diagnostics;
using LatencyGate.Files;

namespace LatencyGate.Caching;

/// <summary>
/// Builds a cache key by hashing every input of a build step: file bytes, option strings, the
/// space and the tool version. Inputs are length-prefixed so that ("ab","c") ≠ ("a","bc").
/// </summary>
internal sealed class CacheKey
{
    private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);

    public CacheKey Add(string label, string? value)
    {
        AddBytes(Encoding.UTF8.GetBytes(label));
        AddBytes(value is null ? [0xFF] : Encoding.UTF8.GetBytes(value));
        return this;
    }

    /// <summary>Adds a file's bytes; a file that cannot be read is LG0046 at <paramref name="location"/> (where the manifest names it).</summary>
    public CacheKey AddFile(string label, string path, SourceLocation? location = null)
    {
        AddBytes(Encoding.UTF8.GetBytes(label));
        AddBytes(BoundedFile.ReadAllBytes(path, MaxInputBytes, InputErrors.FolderUnwalkable, "an input file", location));
        return this;
    }

    /// <summary>The largest input file hashed into a key (weights files are read up to 2 GB anyway).</summary>
    public const long MaxInputBytes = int.MaxValue;

    public CacheKey AddBytes(ReadOnlySpan<byte> bytes)
    {
        Span<byte> length = stackalloc byte[8];
        System.Buffers.Binary.BinaryPrimitives.WriteInt64LittleEndian(length, bytes.Length);
        _hash.AppendData(length);
        _hash.AppendData(bytes);
        return this;
    }

    /// <summary>The key as 64 lowercase hex characters (safe as a file name).</summary>
    public string Finish() => Convert.ToHexStringLower(_hash.GetHashAndReset());
}
