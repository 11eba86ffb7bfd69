using System.Buffers.Binary;
using System.Globalization;
using LatencyGate.Diagnostics;
using LatencyGate.Files;
using LatencyGate.Learning;

namespace LatencyGate.Predictors;

/// <summary>
/// Reads concatenated little-endian float32 tensors given their names and shapes (the layout of
/// the seed paper's predictor_weights/*.f32 and OFA's converted *.f32.bin).
/// </summary>
internal static class RawWeightFile
{
    public static IReadOnlyList<NamedTensor> Read(string path, IReadOnlyList<(string Name, int[] Shape)> layout)
    {
        var bytes = BoundedFile.ReadAllBytes(path, Array.MaxLength, LearningErrors.PredictorUnreadable, "the weights file");

        return Parse(bytes, layout, path);
    }

    /// <summary>The tensors of <paramref name="bytes"/> (already read, e.g. from an embedded resource).</summary>
    public static IReadOnlyList<NamedTensor> Parse(byte[] bytes, IReadOnlyList<(string Name, int[] Shape)> layout, string path)
    {
        var expected = layout.Sum(t => (long)t.Shape.Aggregate(1, (a, b) => a * b)) * 4;
        if (bytes.Length != expected)
        {
            throw new LatencyGateException(LearningErrors.PredictorUnreadable, string.Create(CultureInfo.InvariantCulture, $"raw float32 weights have {bytes.Length} bytes; the layout needs {expected}"), new SourceLocation(path));
        }

        var result = new List<NamedTensor>();
        var offset = 0;
        foreach (var (name, shape) in layout)
        {
            var count = shape.Aggregate(1, (a, b) => a * b);
            var values = new float[count];
            for (var i = 0; i < count; i++)
            {
                values[i] = BinaryPrimitives.ReadSingleLittleEndian(bytes.AsSpan(offset + (4 * i), 4));
            }

            offset += 4 * count;
            result.Add(new NamedTensor(name, shape, values));
        }

        return result;
    }
}
