using System.Buffers.Binary;
using System.Text;
using FsCheck;
using FsCheck.Fluent;
using LatencyGate.Diagnostics;
using LatencyGate.Learning;
using LatencyGate.Learning.WeightFiles;
using Shouldly;
using Xunit;

namespace LatencyGate.Tests.Learning.WeightFiles;

public sealed class SafetensorsFileTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    private static NamedTensor[] Sample() =>
    [
        new("layer.10.weight", [2, 3], [1f, -0f, float.Epsilon, float.MaxValue, float.NegativeInfinity, BitConverter.Int32BitsToSingle(0x7fc00123)]),
        new("layer.2.bias", [3], [0.1f, 0.2f, 0.3f]),
        new("scalar", [], [42f]),
        new("empty", [0, 4], []),
    ];

    [Fact]
    public void Round_trip_is_bit_exact_keeps_order_and_metadata()
    {
        var path = _temp.File("w.safetensors");
        var metadata = new Dictionary<string, string> { ["b"] = "2", ["a"] = "ünïcode \"quoted\"" };
        SafetensorsFile.Write(path, Sample(), metadata);

        var read = SafetensorsFile.Read(path);

        read.Format.ShouldBe(WeightFileFormat.Safetensors);
        read.Tensors.Select(t => t.Name).ShouldBe(Sample().Select(t => t.Name));
        foreach (var (expected, actual) in Sample().Zip(read.Tensors))
        {
            actual.Shape.ShouldBe(expected.Shape);
            actual.Values.Select(BitConverter.SingleToInt32Bits).ShouldBe(expected.Values.Select(BitConverter.SingleToInt32Bits));
        }

        read.Metadata.ShouldBe(metadata, ignoreOrder: true);
    }

    [Fact]
    public void Any_floats_round_trip_bit_exactly()
    {
        Prop.ForAll(ArbMap.Default.ArbFor<int[]>(), bits =>
        {
            var values = bits.Select(BitConverter.Int32BitsToSingle).ToArray();
            using var stream = new MemoryStream();
            SafetensorsFile.Write(stream, [new NamedTensor("t", [values.Length], values)]);
            var read = SafetensorsFile.Read(stream.ToArray(), "mem");
            return read.Tensors[0].Values.Select(BitConverter.SingleToInt32Bits).SequenceEqual(bits);
        }).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void Bytes_are_deterministic_with_sorted_keys_and_an_aligned_header()
    {
        byte[] Write(IReadOnlyDictionary<string, string> meta)
        {
            using var stream = new MemoryStream();
            SafetensorsFile.Write(stream, Sample(), meta);
            return stream.ToArray();
        }

        var a = Write(new Dictionary<string, string> { ["x"] = "1", ["y"] = "2" });
        var b = Write(new Dictionary<string, string> { ["y"] = "2", ["x"] = "1" });
        a.ShouldBe(b);

        var headerLength = (long)BinaryPrimitives.ReadUInt64LittleEndian(a);
        (headerLength % 8).ShouldBe(0);
        var header = Encoding.UTF8.GetString(a, 8, (int)headerLength).TrimEnd(' ');
        header.ShouldStartWith("{\"__metadata__\":{\"x\":\"1\",\"y\":\"2\"},\"empty\":");
        header.IndexOf("\"layer.10.weight\"", StringComparison.Ordinal).ShouldBeLessThan(header.IndexOf("\"layer.2.bias\"", StringComparison.Ordinal));
    }

    [Fact]
    public void Writer_matches_the_format_byte_for_byte()
    {
        using var stream = new MemoryStream();
        SafetensorsFile.Write(stream, [new NamedTensor("a", [2], [1f, 2f])]);
        const string json = "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}";
        var padded = json.PadRight((json.Length + 7) / 8 * 8);
        var expected = new byte[8 + padded.Length + 8];
        BinaryPrimitives.WriteUInt64LittleEndian(expected, (ulong)padded.Length);
        Encoding.ASCII.GetBytes(padded).CopyTo(expected, 8);
        BinaryPrimitives.WriteSingleLittleEndian(expected.AsSpan(8 + padded.Length), 1f);
        BinaryPrimitives.WriteSingleLittleEndian(expected.AsSpan(12 + padded.Length), 2f);
        stream.ToArray().ShouldBe(expected);
    }

    [Fact]
    public void Reads_f64_f16_bf16_and_small_integers_as_float()
    {
        var data = new List<byte>();
        data.AddRange(BitConverter.GetBytes(1.5));
        data.AddRange(BitConverter.GetBytes((Half)(-2.25)));
        data.AddRange(BitConverter.GetBytes((ushort)(BitConverter.SingleToInt32Bits(3.0f) >>> 16)));
        data.AddRange(BitConverter.GetBytes(-7L));
        var file = Craft(
            "{\"d\":{\"dtype\":\"F64\",\"shape\":[1],\"data_offsets\":[0,8]},\"h\":{\"dtype\":\"F16\",\"shape\":[1],\"data_offsets\":[8,10]}," +
            "\"b\":{\"dtype\":\"BF16\",\"shape\":[1],\"data_offsets\":[10,12]},\"i\":{\"dtype\":\"I64\",\"shape\":[1],\"data_offsets\":[12,20]}}",
            [.. data]);

        var read = SafetensorsFile.Read(file, "x.safetensors");

        read.Tensors.Select(t => t.Values[0]).ShouldBe([1.5f, -2.25f, 3f, -7f]);
    }

    [Fact]
    public void Header_longer_than_the_file_is_refused()
    {
        var path = _temp.File("short.safetensors");
        var bytes = Craft("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}", new byte[4]);
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, 1_000_000);
        File.WriteAllBytes(path, bytes);

        var error = Should.Throw<LatencyGateException>(() => WeightFileReader.Read(path));

        error.Diagnostics[0].Code.ShouldBe("LG0102");
        error.Diagnostics[0].Location!.File.ShouldBe(path);
        error.Diagnostics[0].Message.ShouldContain("1000000");
    }

    [Theory]
    [InlineData("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]", "LG0103")] // truncated JSON
    [InlineData("[1,2]", "LG0103")]
    [InlineData("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}", "LG0103")]
    [InlineData("{\"__metadata__\":{\"k\":1}}", "LG0103")]
    [InlineData("{\"a\":{\"dtype\":\"F8_E4M3\",\"shape\":[8],\"data_offsets\":[0,8]}}", "LG0104")]
    [InlineData("{\"a\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,8]}}", "LG0104")] // shape x dtype != bytes
    [InlineData("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},\"b\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}", "LG0104")] // overlap
    [InlineData("{\"a\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[0,16]}}", "LG0104")] // past the data
    [InlineData("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}", "LG0104")] // gap
    [InlineData("{\"a\":{\"dtype\":\"F32\",\"shape\":[-1],\"data_offsets\":[0,8]}}", "LG0104")]
    [InlineData("{\"a\":{\"dtype\":\"F32\",\"shape\":[100000,100000,100000],\"data_offsets\":[0,8]}}", "LG0104")]
    public void Invalid_headers_are_refused_with_their_code(string header, string code)
    {
        var error = Should.Throw<LatencyGateException>(() => SafetensorsFile.Read(Craft(header, new byte[8]), "bad.safetensors"));
        error.Diagnostics[0].Code.ShouldBe(code);
    }

    [Fact]
    public void Integers_that_float_cannot_hold_are_refused()
    {
        var file = Craft("{\"n\":{\"dtype\":\"I64\",\"shape\":[1],\"data_offsets\":[0,8]}}", BitConverter.GetBytes((1L << 40) + 1));
        Should.Throw<LatencyGateException>(() => SafetensorsFile.Read(file, "n.safetensors")).Diagnostics[0].Code.ShouldBe("LG0116");
    }

    [Fact]
    public void Writing_replaces_the_file_atomically_and_leaves_no_temporary_file()
    {
        var path = _temp.File("w.safetensors");
        File.WriteAllText(path, "old");
        SafetensorsFile.Write(path, Sample());
        SafetensorsFile.Read(path).Tensors.Count.ShouldBe(4);
        Directory.GetFiles(_temp.Path).ShouldBe([path]);
    }

    internal static byte[] Craft(string header, byte[] data)
    {
        var json = Encoding.UTF8.GetBytes(header);
        var bytes = new byte[8 + json.Length + data.Length];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, (ulong)json.Length);
        json.CopyTo(bytes, 8);
        data.CopyTo(bytes, 8 + json.Length);
        return bytes;
    }
}
