using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;

namespace LatencyGate.Tests.Learning.WeightFiles;

/// <summary>Writes pickle opcodes by hand, so tests can craft valid and hostile checkpoints without Python.</summary>
internal sealed class PickleBytes
{
    private readonly List<byte> _bytes = [];

    public byte[] ToArray() => [.. _bytes];

    public PickleBytes Op(char op) => Raw((byte)op);

    public PickleBytes Raw(params byte[] bytes)
    {
        _bytes.AddRange(bytes);
        return this;
    }

    public PickleBytes Proto(byte version = 2) => Raw(0x80, version);

    public PickleBytes Global(string module, string name) => Op('c').Raw(Encoding.ASCII.GetBytes(module + "\n" + name + "\n"));

    public PickleBytes Str(string s)
    {
        var utf8 = Encoding.UTF8.GetBytes(s);
        var length = new byte[4];
        BinaryPrimitives.WriteInt32LittleEndian(length, utf8.Length);
        return Op('X').Raw(length).Raw(utf8);
    }

    public PickleBytes Int(long value)
    {
        if (value is >= 0 and < 256)
        {
            return Op('K').Raw((byte)value);
        }

        if (value is >= int.MinValue and <= int.MaxValue)
        {
            var b = new byte[4];
            BinaryPrimitives.WriteInt32LittleEndian(b, (int)value);
            return Op('J').Raw(b);
        }

        var l = new byte[8];
        BinaryPrimitives.WriteInt64LittleEndian(l, value);
        return Raw(0x8a, 8).Raw(l);
    }

    public PickleBytes Float(double value)
    {
        var b = new byte[8];
        BinaryPrimitives.WriteDoubleBigEndian(b, value);
        return Op('G').Raw(b);
    }

    public PickleBytes Mark() => Op('(');

    public PickleBytes Tuple() => Op('t');

    public PickleBytes EmptyTuple() => Op(')');

    public PickleBytes EmptyDict() => Op('}');

    public PickleBytes SetItems() => Op('u');

    public PickleBytes SetItem() => Op('s');

    public PickleBytes Reduce() => Op('R');

    public PickleBytes Stop() => Op('.');

    public PickleBytes IntTuple(IEnumerable<long> values)
    {
        Mark();
        foreach (var v in values)
        {
            Int(v);
        }

        return Tuple();
    }

    /// <summary>torch._utils._rebuild_tensor_v2(('storage', torch.XStorage, key, 'cpu', numel), offset, size, stride, False, OrderedDict()).</summary>
    public PickleBytes Tensor(string storageType, string key, long numel, long offset, long[] shape, long[] stride)
    {
        Global("torch._utils", "_rebuild_tensor_v2").Mark();
        Mark().Str("storage").Global("torch", storageType).Str(key).Str("cpu").Int(numel).Tuple().Op('Q');
        Int(offset).IntTuple(shape).IntTuple(stride).Raw(0x89);
        Global("collections", "OrderedDict").EmptyTuple().Reduce();
        return Tuple().Reduce();
    }
}

/// <summary>A tensor to put in a crafted checkpoint.</summary>
internal sealed record CraftedTensor(string Name, string StorageType, string Key, long Numel, long Offset, long[] Shape, long[] Stride);

internal static class Checkpoints
{
    /// <summary>An OrderedDict state_dict pickle of the given tensors (protocol 2, as torch.save writes).</summary>
    public static byte[] StateDict(IEnumerable<CraftedTensor> tensors)
    {
        var p = new PickleBytes().Proto().Global("collections", "OrderedDict").EmptyTuple().Reduce().Mark();
        foreach (var t in tensors)
        {
            p.Str(t.Name).Tensor(t.StorageType, t.Key, t.Numel, t.Offset, t.Shape, t.Stride);
        }

        return p.SetItems().Stop().ToArray();
    }

    public static void WriteZip(
        string path, byte[] pickle, IReadOnlyDictionary<string, byte[]> storages, string? extraEntry = null,
        string prefix = "archive", CompressionLevel level = CompressionLevel.NoCompression)
    {
        using var file = File.Create(path);
        using var zip = new ZipArchive(file, ZipArchiveMode.Create);
        Add(zip, prefix + "/data.pkl", pickle, level);
        foreach (var (key, bytes) in storages)
        {
            Add(zip, prefix + "/data/" + key, bytes, level);
        }

        Add(zip, prefix + "/version", Encoding.ASCII.GetBytes("3\n"), level);
        if (extraEntry is not null)
        {
            Add(zip, extraEntry, Encoding.ASCII.GetBytes("pwned"), level);
        }
    }

    private static void Add(ZipArchive zip, string name, byte[] bytes, CompressionLevel level)
    {
        var entry = zip.CreateEntry(name, level);
        using var s = entry.Open();
        s.Write(bytes);
    }

    /// <summary>The legacy layout: magic, protocol, sys_info, object, key list, then (int64 count, bytes) per key.</summary>
    public static void WriteLegacy(string path, byte[] pickle, IReadOnlyList<(string Key, long Count, byte[] Bytes)> storages)
    {
        var magic = new PickleBytes().Proto().Raw(0x8a, 10).Raw(Convert.FromHexString("6c fc 9c 46 f9 20 6a a8 50 19".Replace(" ", "", StringComparison.Ordinal))).Stop();
        var protocol = new PickleBytes().Proto().Int(1001).Stop();
        var sysInfo = new PickleBytes().Proto().EmptyDict().Mark().Str("protocol_version").Int(1001).Str("little_endian").Raw(0x88)
            .Str("type_sizes").EmptyDict().Mark().Str("short").Int(2).Str("int").Int(4).Str("long").Int(4).SetItems().SetItems().Stop();
        var keys = new PickleBytes().Proto().Op(']').Mark();
        foreach (var s in storages)
        {
            keys.Str(s.Key);
        }

        keys.Op('e').Stop();
        using var file = File.Create(path);
        file.Write(magic.ToArray());
        file.Write(protocol.ToArray());
        file.Write(sysInfo.ToArray());
        file.Write(pickle);
        file.Write(keys.ToArray());
        foreach (var s in storages)
        {
            var count = new byte[8];
            BinaryPrimitives.WriteInt64LittleEndian(count, s.Count);
            file.Write(count);
            file.Write(s.Bytes);
        }
    }

    public static byte[] Floats(params float[] values)
    {
        var bytes = new byte[values.Length * 4];
        for (var i = 0; i < values.Length; i++)
        {
            BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(i * 4), values[i]);
        }

        return bytes;
    }
}
