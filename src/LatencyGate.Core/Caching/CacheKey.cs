using System.Security.Cryptography;
using System.Text;

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

    public CacheKey AddFile(string label, string path)
    {
        AddBytes(Encoding.UTF8.GetBytes(label));
        AddBytes(File.ReadAllBytes(path));
        return this;
    }

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
