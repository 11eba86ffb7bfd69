using System.Globalization;
using System.Text;
using LatencyGate.Spaces;

namespace LatencyGate.Predictors;

/// <summary>
/// The archs a predictor was trained on, as a Bloom filter of canonical arch keys (1 % false
/// positives, about 1.2 bytes per arch: 4,000 archs take 4.8 KB, 6.4 KB in the file's metadata).
/// "Maybe seen" can be wrong, "not seen" cannot: an adaptation that sets aside the shots its base may
/// have seen loses a few unseen ones, never keeps a seen one. Deterministic: the same archs give the
/// same bits whatever their order.
/// </summary>
internal sealed class ArchSetFilter
{
    /// <summary>The predictor file metadata key that holds <see cref="Encode"/>'s text.</summary>
    public const string MetadataKey = "training_archs";

    private const string Prefix = "bloom-fnv1a64-v1";
    private const double FalsePositiveRate = 0.01;
    private readonly byte[] _bits;

    private ArchSetFilter(byte[] bits, int hashes, int count)
    {
        _bits = bits;
        Hashes = hashes;
        Count = count;
    }

    /// <summary>How many distinct archs went in.</summary>
    public int Count { get; }

    public int Hashes { get; }

    public int BitCount => _bits.Length * 8;

    public static ArchSetFilter Of(IEnumerable<Arch> archs)
    {
        var keys = archs.Select(a => a.CanonicalKey).Distinct(StringComparer.Ordinal).ToArray();
        var n = Math.Max(1, keys.Length);
        var bits = (int)Math.Ceiling(-n * Math.Log(FalsePositiveRate) / (Math.Log(2) * Math.Log(2)));
        var bytes = new byte[(bits + 7) / 8];
        var hashes = Math.Max(1, (int)Math.Round(bytes.Length * 8.0 / n * Math.Log(2)));
        var filter = new ArchSetFilter(bytes, hashes, keys.Length);
        foreach (var key in keys)
        {
            foreach (var bit in filter.Bits(key))
            {
                bytes[bit >> 3] |= (byte)(1 << (bit & 7));
            }
        }

        return filter;
    }

    /// <summary>False only when <paramref name="arch"/> was certainly not among the training archs.</summary>
    public bool MayContain(Arch arch)
    {
        foreach (var bit in Bits(arch.CanonicalKey))
        {
            if ((_bits[bit >> 3] & (1 << (bit & 7))) == 0)
            {
                return false;
            }
        }

        return true;
    }

    public string Encode() => string.Create(CultureInfo.InvariantCulture, $"{Prefix};{Count};{Hashes};{Convert.ToBase64String(_bits)}");

    /// <summary>The filter <see cref="Encode"/> wrote, or null when the text is not one (an unknown training set, not an error).</summary>
    public static ArchSetFilter? Decode(string? text)
    {
        var parts = text?.Split(';');
        if (parts is not { Length: 4 } || parts[0] != Prefix
            || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var count)
            || !int.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out var hashes)
            || hashes is < 1 or > 64)
        {
            return null;
        }

        try
        {
            var bits = Convert.FromBase64String(parts[3]);
            return bits.Length == 0 ? null : new ArchSetFilter(bits, hashes, count);
        }
        catch (FormatException)
        {
            return null;
        }
    }

    /// <summary>Double hashing over FNV-1a 64 of the key: bit i = h1 + i·h2 (mod m).</summary>
    private IEnumerable<int> Bits(string key)
    {
        var h = 14695981039346656037UL;
        foreach (var b in Encoding.UTF8.GetBytes(key))
        {
            h = (h ^ b) * 1099511628211UL;
        }

        var h1 = Mix(h);
        var h2 = Mix(h1) | 1;
        var m = (ulong)BitCount;
        for (var i = 0UL; i < (ulong)Hashes; i++)
        {
            yield return (int)((h1 + (i * h2)) % m);
        }
    }

    private static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
