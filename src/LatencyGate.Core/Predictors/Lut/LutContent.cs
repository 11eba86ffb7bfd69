using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace LatencyGate.Predictors.Lut;

/// <summary>
/// What a set of lookup tables predicts from, as one sha256: every table in ascending resolution, every
/// entry in ordinal key order, each mean as its IEEE bits. File names, YAML or JSON, count and std do not
/// enter it (the predictor never reads them), so two folders that predict alike hash alike, and a table
/// that predicts differently (one mean changed) does not.
/// </summary>
internal static class LutContent
{
    private static readonly byte[] Magic = "latency-gate/lut-content/1\0"u8.ToArray();

    public static string Sha256(IEnumerable<LutTable> tables)
    {
        ArgumentNullException.ThrowIfNull(tables);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        Span<byte> number = stackalloc byte[8];
        hash.AppendData(Magic);
        foreach (var table in tables.OrderBy(t => t.Resolution))
        {
            BinaryPrimitives.WriteInt32LittleEndian(number, table.Resolution);
            hash.AppendData(number[..4]);
            BinaryPrimitives.WriteInt32LittleEndian(number, table.Count);
            hash.AppendData(number[..4]);
            foreach (var (key, mean) in table.Entries)
            {
                var bytes = Encoding.UTF8.GetBytes(key);
                BinaryPrimitives.WriteInt32LittleEndian(number, bytes.Length);
                hash.AppendData(number[..4]);
                hash.AppendData(bytes);
                BinaryPrimitives.WriteInt64LittleEndian(number, BitConverter.DoubleToInt64Bits(mean));
                hash.AppendData(number);
            }
        }

        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }
}
