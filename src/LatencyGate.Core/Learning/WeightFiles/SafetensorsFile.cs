using System.Buffers.Binary;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Json;
using LatencyGate.Diagnostics;

namespace LatencyGate.Learning.WeightFiles;

/// <summary>
/// The safetensors format: an 8-byte little-endian header length N, N bytes of JSON
/// (<c>{"name": {"dtype", "shape", "data_offsets": [begin, end]}, "__metadata__": {string: string}}</c>),
/// then the raw little-endian tensor bytes, offsets relative to the end of the header.
/// </summary>
internal static class SafetensorsFile
{
    public const string MetadataKey = "__metadata__";

    /// <summary>The reference implementation's cap; a larger header is refused before it is read.</summary>
    public const long MaxHeaderBytes = 100_000_000;

    private const int HeaderAlignment = 8;

    /// <summary>Writes float32 tensors atomically; same tensors and metadata give the same bytes.</summary>
    public static void Write(string path, IReadOnlyList<NamedTensor> tensors, IReadOnlyDictionary<string, string>? metadata = null) =>
        AtomicFile.Write(path, stream => Write(stream, tensors, metadata));

    public static void Write(Stream stream, IReadOnlyList<NamedTensor> tensors, IReadOnlyDictionary<string, string>? metadata = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(tensors);
        var header = BuildHeader(tensors, metadata);
        Span<byte> length = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(length, (ulong)header.Length);
        stream.Write(length);
        stream.Write(header);
        foreach (var tensor in tensors)
        {
            if (BitConverter.IsLittleEndian)
            {
                stream.Write(MemoryMarshal.AsBytes(tensor.Values.AsSpan()));
            }
            else
            {
                var buffer = new byte[4];
                foreach (var v in tensor.Values)
                {
                    BinaryPrimitives.WriteSingleLittleEndian(buffer, v);
                    stream.Write(buffer);
                }
            }
        }
    }

    private static byte[] BuildHeader(IReadOnlyList<NamedTensor> tensors, IReadOnlyDictionary<string, string>? metadata)
    {
        var offsets = new Dictionary<string, (long Begin, long End, NamedTensor Tensor)>(StringComparer.Ordinal);
        long position = 0;
        foreach (var tensor in tensors)
        {
            ArgumentNullException.ThrowIfNull(tensor);
            if (string.IsNullOrEmpty(tensor.Name) || tensor.Name == MetadataKey)
            {
                throw new ArgumentException($"Invalid tensor name '{tensor.Name}'.", nameof(tensors));
            }

            if (tensor.Shape.Any(d => d < 0) || tensor.Shape.Aggregate(1L, (a, b) => a * b) != tensor.Values.Length)
            {
                throw new ArgumentException($"Tensor '{tensor.Name}' has {tensor.Values.Length} values, not the product of its shape.", nameof(tensors));
            }

            var end = position + (4L * tensor.Values.Length);
            if (!offsets.TryAdd(tensor.Name, (position, end, tensor)))
            {
                throw new ArgumentException($"Duplicate tensor name '{tensor.Name}'.", nameof(tensors));
            }

            position = end;
        }

        using var json = new MemoryStream();
        using (var writer = new Utf8JsonWriter(json))
        {
            writer.WriteStartObject();
            var keys = offsets.Keys.ToList();
            if (metadata is not null)
            {
                keys.Add(MetadataKey);
            }

            // Sorted keys make the header, hence the file, a function of the content alone.
            keys.Sort(StringComparer.Ordinal);
            foreach (var key in keys)
            {
                writer.WritePropertyName(key);
                writer.WriteStartObject();
                if (key == MetadataKey)
                {
                    foreach (var (k, v) in metadata!.OrderBy(p => p.Key, StringComparer.Ordinal))
                    {
                        writer.WriteString(k, v);
                    }
                }
                else
                {
                    var (begin, end, tensor) = offsets[key];
                    writer.WriteString("dtype", "F32");
                    writer.WriteStartArray("shape");
                    foreach (var d in tensor.Shape)
                    {
                        writer.WriteNumberValue(d);
                    }

                    writer.WriteEndArray();
                    writer.WriteStartArray("data_offsets");
                    writer.WriteNumberValue(begin);
                    writer.WriteNumberValue(end);
                    writer.WriteEndArray();
                }

                writer.WriteEndObject();
            }

            writer.WriteEndObject();
        }

        // Pad with spaces (JSON whitespace) so the data starts 8-byte aligned, as the reference writer does.
        var padded = (int)((json.Length + HeaderAlignment - 1) / HeaderAlignment * HeaderAlignment);
        var header = new byte[padded];
        header.AsSpan().Fill((byte)' ');
        json.ToArray().CopyTo(header, 0);
        return header;
    }

    public static WeightFile Read(string path)
    {
        var bytes = WeightFileBytes.ReadAll(path);
        return Read(bytes, path);
    }

    /// <summary>Parses a whole safetensors file held in memory; <paramref name="path"/> names it in errors.</summary>
    public static WeightFile Read(byte[] file, string path)
    {
        ArgumentNullException.ThrowIfNull(file);
        if (file.Length < 8)
        {
            throw Error(path, WeightFileCodes.SafetensorsHeaderLength, $"File of {file.Length} bytes is too short for a safetensors header length.");
        }

        var headerLength = BinaryPrimitives.ReadUInt64LittleEndian(file);
        if (headerLength > (ulong)(file.Length - 8))
        {
            throw Error(path, WeightFileCodes.SafetensorsHeaderLength, string.Create(
                CultureInfo.InvariantCulture,
                $"The safetensors header claims {headerLength} bytes but the file has only {file.Length - 8} after the length field."));
        }

        if (headerLength > MaxHeaderBytes || headerLength < 2)
        {
            throw Error(path, WeightFileCodes.SafetensorsHeaderLength, string.Create(
                CultureInfo.InvariantCulture, $"Safetensors header length {headerLength} is outside 2..{MaxHeaderBytes}."));
        }

        var header = file.AsMemory(8, (int)headerLength);
        var data = file.AsMemory(8 + (int)headerLength);
        var (entries, metadata) = ParseHeader(header, path);
        ValidateLayout(entries, data.Length, path);
        var tensors = new List<NamedTensor>(entries.Count);
        foreach (var e in entries.OrderBy(e => e.Begin))
        {
            var values = new float[e.Count];
            TensorDecoding.DecodeContiguous(data.Span[(int)e.Begin..(int)e.End], e.DType, values, path, e.Name);
            tensors.Add(new NamedTensor(e.Name, e.Shape, values));
        }

        return new WeightFile(path, WeightFileFormat.Safetensors, tensors, metadata);
    }

    private sealed record Entry(string Name, TensorDType DType, int[] Shape, int Count, long Begin, long End);

    private static (List<Entry> Entries, Dictionary<string, string> Metadata) ParseHeader(ReadOnlyMemory<byte> header, string path)
    {
        // JsonDocument does not check the UTF-8 of strings until they are read (then it throws
        // InvalidOperationException): a header that is not UTF-8 is refused here, as malformed.
        if (!System.Text.Unicode.Utf8.IsValid(header.Span))
        {
            throw Error(path, WeightFileCodes.SafetensorsHeaderJson, "The safetensors header is not valid UTF-8 text.");
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(header, new JsonDocumentOptions { MaxDepth = 8 });
        }
        catch (JsonException e)
        {
            throw Error(path, WeightFileCodes.SafetensorsHeaderJson, "The safetensors header is not well-formed JSON: " + e.Message);
        }

        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw Error(path, WeightFileCodes.SafetensorsHeaderJson, "The safetensors header must be a JSON object.");
            }

            var entries = new List<Entry>();
            var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var property in document.RootElement.EnumerateObject())
            {
                if (!seen.Add(property.Name))
                {
                    throw Error(path, WeightFileCodes.SafetensorsHeaderJson, $"The safetensors header names '{property.Name}' twice.");
                }

                if (property.Name == MetadataKey)
                {
                    ReadMetadata(property.Value, metadata, path);
                }
                else
                {
                    entries.Add(ReadEntry(property.Name, property.Value, path));
                }
            }

            return (entries, metadata);
        }
    }

    private static void ReadMetadata(JsonElement value, Dictionary<string, string> metadata, string path)
    {
        if (value.ValueKind != JsonValueKind.Object)
        {
            throw Error(path, WeightFileCodes.SafetensorsHeaderJson, "__metadata__ must be an object of strings.");
        }

        foreach (var item in value.EnumerateObject())
        {
            if (item.Value.ValueKind != JsonValueKind.String)
            {
                throw Error(path, WeightFileCodes.SafetensorsHeaderJson, $"__metadata__ entry '{item.Name}' must be a string.");
            }

            if (!metadata.TryAdd(item.Name, item.Value.GetString()!))
            {
                throw Error(path, WeightFileCodes.SafetensorsHeaderJson, $"__metadata__ names '{item.Name}' twice.");
            }
        }
    }

    private static Entry ReadEntry(string name, JsonElement value, string path)
    {
        string Where(string what) => $"Tensor '{name}': {what}";
        if (value.ValueKind != JsonValueKind.Object
            || !value.TryGetProperty("dtype", out var dtypeJson) || dtypeJson.ValueKind != JsonValueKind.String
            || !value.TryGetProperty("shape", out var shapeJson) || shapeJson.ValueKind != JsonValueKind.Array
            || !value.TryGetProperty("data_offsets", out var offsetsJson) || offsetsJson.ValueKind != JsonValueKind.Array)
        {
            throw Error(path, WeightFileCodes.SafetensorsHeaderJson, Where("expected an object with dtype, shape and data_offsets."));
        }

        var dtype = ParseDType(dtypeJson.GetString()!)
            ?? throw Error(path, WeightFileCodes.SafetensorsTensorEntry, Where($"unknown or unsupported dtype '{dtypeJson.GetString()}' (expected F32, F64, F16, BF16, I64, I32, I16, I8, U8 or BOOL)."));
        var shape = new List<int>();
        long count = 1;
        foreach (var d in shapeJson.EnumerateArray())
        {
            if (d.ValueKind != JsonValueKind.Number || !d.TryGetInt32(out var dim) || dim < 0)
            {
                throw Error(path, WeightFileCodes.SafetensorsTensorEntry, Where("shape must be non-negative integers."));
            }

            shape.Add(dim);
            count *= dim;
            if (count > Array.MaxLength)
            {
                throw Error(path, WeightFileCodes.SafetensorsTensorEntry, Where("the shape has more elements than a tensor can hold."));
            }
        }

        var offsets = offsetsJson.EnumerateArray().ToList();
        if (offsets.Count != 2 || offsets.Any(o => o.ValueKind != JsonValueKind.Number || !o.TryGetInt64(out var x) || x < 0))
        {
            throw Error(path, WeightFileCodes.SafetensorsTensorEntry, Where("data_offsets must be two non-negative integers [begin, end]."));
        }

        var begin = offsets[0].GetInt64();
        var end = offsets[1].GetInt64();
        if (end < begin)
        {
            throw Error(path, WeightFileCodes.SafetensorsTensorEntry, Where(string.Create(CultureInfo.InvariantCulture, $"data_offsets [{begin}, {end}] end before they begin.")));
        }

        var expected = count * TensorDecoding.SizeOf(dtype);
        if (end - begin != expected)
        {
            throw Error(path, WeightFileCodes.SafetensorsTensorEntry, Where(string.Create(
                CultureInfo.InvariantCulture,
                $"shape [{string.Join(", ", shape)}] of {dtypeJson.GetString()} needs {expected} bytes but data_offsets [{begin}, {end}] span {end - begin}.")));
        }

        return new Entry(name, dtype, [.. shape], (int)count, begin, end);
    }

    private static void ValidateLayout(List<Entry> entries, int dataLength, string path)
    {
        // As in the reference implementation: the tensors tile the data section exactly, no gap, no overlap.
        long position = 0;
        foreach (var e in entries.OrderBy(e => e.Begin).ThenBy(e => e.End))
        {
            if (e.End > dataLength)
            {
                throw Error(path, WeightFileCodes.SafetensorsTensorEntry, string.Create(
                    CultureInfo.InvariantCulture, $"Tensor '{e.Name}': data_offsets [{e.Begin}, {e.End}] run past the {dataLength} data bytes in the file."));
            }

            if (e.Begin != position)
            {
                var what = e.Begin < position ? "overlap the previous tensor" : "leave a gap after the previous tensor";
                throw Error(path, WeightFileCodes.SafetensorsTensorEntry, string.Create(
                    CultureInfo.InvariantCulture, $"Tensor '{e.Name}': data_offsets [{e.Begin}, {e.End}] {what} (which ends at {position})."));
            }

            position = e.End;
        }

        if (position != dataLength)
        {
            throw Error(path, WeightFileCodes.SafetensorsTensorEntry, string.Create(
                CultureInfo.InvariantCulture, $"The tensors cover {position} data bytes but the file has {dataLength}."));
        }
    }

    private static TensorDType? ParseDType(string text) => text switch
    {
        "F32" => TensorDType.F32,
        "F64" => TensorDType.F64,
        "F16" => TensorDType.F16,
        "BF16" => TensorDType.BF16,
        "I64" => TensorDType.I64,
        "I32" => TensorDType.I32,
        "I16" => TensorDType.I16,
        "I8" => TensorDType.I8,
        "U8" => TensorDType.U8,
        "BOOL" => TensorDType.Bool,
        _ => null,
    };

    private static Diagnostics.LatencyGateException Error(string path, string code, string message) =>
        WeightFileError.At(path, code, message);

    internal static bool LooksLike(ReadOnlySpan<byte> prefix, long fileLength) =>
        prefix.Length >= 9 && prefix[8] == (byte)'{' && fileLength >= 9;

}
