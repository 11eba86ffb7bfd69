using System.Buffers.Binary;
using System.Globalization;
using System.Runtime.InteropServices;
using LatencyGate.Diagnostics;

namespace LatencyGate.Learning.WeightFiles;

/// <summary>Converts little-endian stored elements to float32, gathering strided views.</summary>
internal static class TensorDecoding
{
    public static int SizeOf(TensorDType dtype) => dtype switch
    {
        TensorDType.F64 or TensorDType.I64 => 8,
        TensorDType.F32 or TensorDType.I32 => 4,
        TensorDType.F16 or TensorDType.BF16 or TensorDType.I16 => 2,
        _ => 1,
    };

    /// <summary>
    /// Reads a tensor of <paramref name="shape"/> from <paramref name="storage"/> (elements of
    /// <paramref name="dtype"/>) starting at element <paramref name="offset"/> with element
    /// <paramref name="strides"/>. The caller has checked every index is inside the storage.
    /// </summary>
    public static float[] Gather(
        ReadOnlySpan<byte> storage, TensorDType dtype, long offset, int[] shape, long[] strides, string path, string tensorName)
    {
        var count = 1;
        foreach (var d in shape)
        {
            count *= d;
        }

        var values = new float[count];
        if (count == 0)
        {
            return values;
        }

        if (IsContiguous(shape, strides))
        {
            var size = SizeOf(dtype);
            DecodeContiguous(storage.Slice(checked((int)(offset * size)), checked(count * size)), dtype, values, path, tensorName);
            return values;
        }

        // Non-contiguous views (transposes, slices) are copied element by element in row-major order.
        var index = new int[shape.Length];
        for (var i = 0; i < count; i++)
        {
            var element = offset;
            for (var d = 0; d < shape.Length; d++)
            {
                element += index[d] * strides[d];
            }

            values[i] = ReadOne(storage, dtype, element, path, tensorName);
            for (var d = shape.Length - 1; d >= 0; d--)
            {
                if (++index[d] < shape[d])
                {
                    break;
                }

                index[d] = 0;
            }
        }

        return values;
    }

    public static bool IsContiguous(int[] shape, long[] strides)
    {
        long expected = 1;
        for (var d = shape.Length - 1; d >= 0; d--)
        {
            if (shape[d] != 1 && strides[d] != expected)
            {
                return false;
            }

            expected *= shape[d];
        }

        return true;
    }

    public static void DecodeContiguous(ReadOnlySpan<byte> bytes, TensorDType dtype, Span<float> values, string path, string tensorName)
    {
        if (dtype == TensorDType.F32 && BitConverter.IsLittleEndian)
        {
            MemoryMarshal.Cast<byte, float>(bytes).CopyTo(values);
            return;
        }

        for (var i = 0; i < values.Length; i++)
        {
            values[i] = ReadOne(bytes, dtype, i, path, tensorName);
        }
    }

    private static float ReadOne(ReadOnlySpan<byte> s, TensorDType dtype, long element, string path, string tensorName)
    {
        var i = checked((int)(element * SizeOf(dtype)));
        return dtype switch
        {
            TensorDType.F32 => BinaryPrimitives.ReadSingleLittleEndian(s[i..]),
            TensorDType.F64 => (float)BinaryPrimitives.ReadDoubleLittleEndian(s[i..]),
            TensorDType.F16 => (float)BinaryPrimitives.ReadHalfLittleEndian(s[i..]),
            TensorDType.BF16 => BitConverter.Int32BitsToSingle(BinaryPrimitives.ReadUInt16LittleEndian(s[i..]) << 16),
            TensorDType.I64 => Exact(BinaryPrimitives.ReadInt64LittleEndian(s[i..]), path, tensorName),
            TensorDType.I32 => Exact(BinaryPrimitives.ReadInt32LittleEndian(s[i..]), path, tensorName),
            TensorDType.I16 => BinaryPrimitives.ReadInt16LittleEndian(s[i..]),
            TensorDType.I8 => (sbyte)s[i],
            TensorDType.U8 => s[i],
            TensorDType.Bool => s[i] != 0 ? 1f : 0f,
            _ => throw new ArgumentOutOfRangeException(nameof(dtype)),
        };
    }

    // Integer tensors (e.g. BatchNorm's num_batches_tracked) become floats only when no value changes.
    private static float Exact(long value, string path, string tensorName)
    {
        if (value > (1L << 24) || value < -(1L << 24))
        {
            throw WeightFileError.At(path, WeightFileCodes.UnsupportedTensorType, string.Create(
                CultureInfo.InvariantCulture,
                $"Integer tensor '{tensorName}' holds {value}, which float32 cannot represent exactly."));
        }

        return value;
    }
}
