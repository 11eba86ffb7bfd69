using System.Numerics.Tensors;
using LatencyGate.Numerics;

namespace LatencyGate.Learning;

/// <summary>
/// Per-column affine map x → (x − mean) / scale, fitted on training data. A column that never
/// varies keeps scale 1. <see cref="Identity"/> leaves inputs alone (one-hot inputs stay sparse).
/// </summary>
internal sealed class Standardizer
{
    public Standardizer(float[] mean, float[] scale)
    {
        if (mean.Length != scale.Length)
        {
            throw new ArgumentException("mean and scale differ in length", nameof(scale));
        }

        Mean = mean;
        Scale = scale;
    }

    public float[] Mean { get; }

    public float[] Scale { get; }

    public int Columns => Mean.Length;

    public bool IsIdentity => Mean.All(m => m == 0f) && Scale.All(s => s == 1f);

    public static Standardizer Identity(int columns) => new(new float[columns], Enumerable.Repeat(1f, columns).ToArray());

    /// <summary>Fits mean and standard deviation per column (<see cref="Moments"/>: double sums, in row order).</summary>
    public static Standardizer Fit(ReadOnlySpan<float> data, int columns)
    {
        var mean = new float[columns];
        var scale = new float[columns];
        for (var j = 0; j < columns; j++)
        {
            var (m, sd) = Moments.OfColumn(data, columns, j);
            mean[j] = (float)m;
            scale[j] = sd > 1e-12 ? (float)sd : 1f;
        }

        return new Standardizer(mean, scale);
    }

    public void Apply(Span<float> data)
    {
        var columns = Columns;
        for (var i = 0; i + columns <= data.Length; i += columns)
        {
            var row = data.Slice(i, columns);
            TensorPrimitives.Subtract(row, Mean, row);
            TensorPrimitives.Divide(row, Scale, row);
        }
    }

    public void Invert(Span<float> data)
    {
        var columns = Columns;
        for (var i = 0; i + columns <= data.Length; i += columns)
        {
            var row = data.Slice(i, columns);
            TensorPrimitives.Multiply(row, Scale, row);
            TensorPrimitives.Add(row, Mean, row);
        }
    }
}
