namespace LatencyGate.Learning;

/// <summary>y = f(x·Wᵀ + b) with W stored [out, in] as PyTorch's nn.Linear.</summary>
internal sealed class DenseLayer
{
    public DenseLayer(Matrix weight, float[] bias, Activation activation)
    {
        if (bias.Length != weight.Rows)
        {
            throw new ArgumentException($"bias has {bias.Length} values; the weight has {weight.Rows} outputs", nameof(bias));
        }

        Weight = weight;
        Bias = bias;
        Activation = activation;
    }

    public Matrix Weight { get; }

    public float[] Bias { get; }

    public Activation Activation { get; }

    public int Inputs => Weight.Cols;

    public int Outputs => Weight.Rows;

    public DenseLayer Clone() => new(Weight.Clone(), (float[])Bias.Clone(), Activation);

    /// <summary>output[0..rows) = f(input·Wᵀ + b).</summary>
    public void Forward(Matrix input, Matrix output, int rows)
    {
        Gemm.MultiplyABt(input, Weight, output, accumulate: false, rows: rows);
        AddBiasAndActivate(output, rows);
    }

    public void AddBiasAndActivate(Matrix output, int rows)
    {
        for (var i = 0; i < rows; i++)
        {
            var row = output.Row(i);
            System.Numerics.Tensors.TensorPrimitives.Add(row, Bias, row);
            Activation.Apply(row);
        }
    }
}
