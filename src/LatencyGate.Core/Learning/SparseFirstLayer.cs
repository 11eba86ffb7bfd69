using System.Numerics.Tensors;

namespace LatencyGate.Learning;

/// <summary>
/// The first dense layer evaluated on sparse (mostly one-hot) inputs: a row's pre-activation is
/// the bias plus the weight columns of its nonzero inputs, scaled by their values. For the
/// 128-d OFA encodings (~30 ones) this is 4× less work than the dense product and needs no
/// encoded matrix. Holds a transposed copy of the weight, so build it once per immutable model.
/// </summary>
internal sealed class SparseFirstLayer
{
    private const int BlockRows = 256;
    private readonly float[] _weightT;
    private readonly float[] _bias;

    public SparseFirstLayer(DenseLayer layer)
    {
        Inputs = layer.Inputs;
        Outputs = layer.Outputs;
        Activation = layer.Activation;
        _bias = (float[])layer.Bias.Clone();
        _weightT = new float[Inputs * Outputs];
        for (var o = 0; o < Outputs; o++)
        {
            for (var i = 0; i < Inputs; i++)
            {
                _weightT[(i * Outputs) + o] = layer.Weight.Data[(o * Inputs) + i];
            }
        }
    }

    public int Inputs { get; }

    public int Outputs { get; }

    public Activation Activation { get; }

    /// <summary>
    /// output[r, :] = f(b + Σ_k values[k]·Wᵀ[indices[k], :]) for k in rowStarts[r]..rowStarts[r+1].
    /// <paramref name="values"/> empty means every nonzero is 1.
    /// </summary>
    public void Forward(int[] rowStarts, int[] indices, float[] values, int rows, float[] output)
    {
        var blocks = (rows + BlockRows - 1) / BlockRows;
        Parallelism.ForBlocks(blocks, (long)BlockRows * 32 * Outputs, block => ForwardBlock(rowStarts, indices, values, rows, output, block));
    }

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    private void ForwardBlock(int[] rowStarts, int[] indices, float[] values, int rows, float[] output, int block)
    {
        {
            var end = Math.Min(rows, (block + 1) * BlockRows);
            for (var r = block * BlockRows; r < end; r++)
            {
                var row = output.AsSpan(r * Outputs, Outputs);
                _bias.CopyTo(row);
                for (var k = rowStarts[r]; k < rowStarts[r + 1]; k++)
                {
                    var column = _weightT.AsSpan(indices[k] * Outputs, Outputs);
                    if (values.Length == 0 || values[k] == 1f)
                    {
                        TensorPrimitives.Add(row, column, row);
                    }
                    else
                    {
                        TensorPrimitives.MultiplyAdd(column, values[k], row, row);
                    }
                }

                Activation.Apply(row);
            }
        }
    }
}
