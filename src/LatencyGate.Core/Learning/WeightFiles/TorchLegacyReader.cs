using System.Buffers.Binary;
using System.Globalization;
using System.Numerics;
using LatencyGate.Diagnostics;
using LatencyGate.Learning.WeightFiles.Pickle;

namespace LatencyGate.Learning.WeightFiles;

/// <summary>
/// PyTorch's legacy (pre-1.6, non-zip) checkpoints: five pickles in a row (magic number, protocol version,
/// sys_info, the object, the list of storage keys), then for each key an int64 element count and the raw
/// little-endian elements.
/// </summary>
internal static class TorchLegacyReader
{
    public static readonly BigInteger MagicNumber = BigInteger.Parse("119547037146038801333356", CultureInfo.InvariantCulture);
    public const long ProtocolVersion = 1001;

    /// <summary>PROTO 2, LONG1 of 10 bytes: how every legacy file begins.</summary>
    public static bool LooksLike(ReadOnlySpan<byte> prefix) =>
        prefix.Length >= 3 && prefix[0] == 0x80 && prefix[1] == 0x02 && prefix[2] == 0x8a;

    public static WeightFile Read(string path) => Read(WeightFileBytes.ReadAll(path), path);

    public static WeightFile Read(byte[] file, string path)
    {
        var magic = PickleMachine.Load(file, 0, path);
        if (magic.Value is not BigInteger m || m != MagicNumber)
        {
            throw Malformed(path, "the magic number is not PyTorch's.");
        }

        var protocol = PickleMachine.Load(file, magic.End, path);
        if (protocol.Value is not ProtocolVersion)
        {
            throw Malformed(path, $"protocol version {protocol.Value} is not {ProtocolVersion}.");
        }

        var sysInfo = PickleMachine.Load(file, protocol.End, path);
        if (sysInfo.Value is not PickleDict info || info["little_endian"] is not true)
        {
            throw WeightFileError.At(path, WeightFileCodes.UnsupportedTensorType, "Only little-endian legacy checkpoints are supported.");
        }

        var body = PickleMachine.Load(file, sysInfo.End, path);
        var keysPickle = PickleMachine.Load(file, body.End, path);
        if (keysPickle.Value is not PickleList keyList || keyList.Items.Any(k => k is not string))
        {
            throw Malformed(path, "the storage key list is not a list of strings.");
        }

        var declared = body.Storages.ToDictionary(s => s.Key, StringComparer.Ordinal);
        var located = new Dictionary<string, (int Start, int Length)>(StringComparer.Ordinal);
        long position = keysPickle.End;
        foreach (var key in keyList.Items.Cast<string>())
        {
            if (!declared.TryGetValue(key, out var storage) || located.ContainsKey(key))
            {
                throw Malformed(path, $"storage key '{key}' is listed but not used by the object, or listed twice.");
            }

            if (file.Length - position < 8)
            {
                throw Malformed(path, $"the file ends before storage '{key}'.");
            }

            var count = BinaryPrimitives.ReadInt64LittleEndian(file.AsSpan((int)position, 8));
            position += 8;
            if (count != storage.ElementCount)
            {
                throw WeightFileError.At(path, WeightFileCodes.TensorOverrunsStorage, string.Create(CultureInfo.InvariantCulture,
                    $"Storage '{key}' declares {storage.ElementCount} elements in the pickle but {count} in the data."));
            }

            var size = TensorDecoding.SizeOf(storage.DType);
            if (count > (file.Length - position) / size)
            {
                throw WeightFileError.At(path, WeightFileCodes.TensorOverrunsStorage, string.Create(CultureInfo.InvariantCulture,
                    $"Storage '{key}' of {count} elements runs past the end of the file."));
            }

            located[key] = ((int)position, (int)(count * size));
            position += count * size;
        }

        var selected = TorchStateDict.Select(body.Value, path);
        var tensors = TorchStateDict.Materialize(selected, storage =>
            located.TryGetValue(storage.Key, out var at)
                ? file.AsMemory(at.Start, at.Length)
                : throw Malformed(path, $"storage '{storage.Key}' has no data in the file."), path);
        return new WeightFile(path, WeightFileFormat.TorchLegacy, tensors, new Dictionary<string, string>(StringComparer.Ordinal));
    }

    private static Diagnostics.LatencyGateException Malformed(string path, string what) =>
        WeightFileError.At(path, WeightFileCodes.LegacyMalformed, "Not a readable legacy PyTorch checkpoint: " + what);
}
