namespace LatencyGate.Learning;

/// <summary>A dense row-major float32 matrix; <see cref="Data"/> holds exactly Rows × Cols values.</summary>
internal sealed class Matrix
{
    public Matrix(int rows, int cols)
        : this(rows, cols, new float[checked(rows * cols)])
    {
    }

    public Matrix(int rows, int cols, float[] data)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(rows);
        ArgumentOutOfRangeException.ThrowIfNegative(cols);
        if (data.Length != rows * cols)
        {
            throw new ArgumentException($"data has {data.Length} values; a {rows}x{cols} matrix needs {rows * cols}", nameof(data));
        }

        Rows = rows;
        Cols = cols;
        Data = data;
    }

    public int Rows { get; }

    public int Cols { get; }

    public float[] Data { get; }

    public float this[int row, int col]
    {
        get => Data[(row * Cols) + col];
        set => Data[(row * Cols) + col] = value;
    }

    public Span<float> Row(int row) => Data.AsSpan(row * Cols, Cols);

    public Matrix Clone() => new(Rows, Cols, (float[])Data.Clone());

    public void Clear() => Array.Clear(Data);
}
