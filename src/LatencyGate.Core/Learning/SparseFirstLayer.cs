using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

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

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void ForwardBlock(int[] rowStarts, int[] indices, float[] values, int rows, float[] output, int block)
    {
        var end = Math.Min(rows, (block + 1) * BlockRows);
        for (var r = block * BlockRows; r < end; r++)
        {
            var row = output.AsSpan(r * Outputs, Outputs);
            if (Avx.IsSupported)
            {
                SumColumnsAvx(indices, values, rowStarts[r], rowStarts[r + 1], row);
            }
            else
            {
                _bias.CopyTo(row);
                for (var k = rowStarts[r]; k < rowStarts[r + 1]; k++)
                {
                    var column = _weightT.AsSpan(indices[k] * Outputs, Outputs);
                    var v = values.Length == 0 ? 1f : values[k];
                    for (var o = 0; o < Outputs; o++)
                    {
                        row[o] += v == 1f ? column[o] : column[o] * v;
                    }
                }
            }

            Activation.Apply(row);
        }
    }

    // Keeps 32 outputs in four registers while walking the row's nonzeros, so each weight is loaded
    // once and the row is stored once: several times faster than adding whole columns into memory.
    // Same order of additions as the portable loop (bias, then the nonzeros in order), so the results agree.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private unsafe void SumColumnsAvx(int[] indices, float[] values, int from, int to, Span<float> row)
    {
        var outputs = Outputs;
        fixed (float* w = _weightT, b = _bias, dst = row)
        fixed (int* idx = indices)
        fixed (float* val = values)
        {
            var o = 0;
            for (; o + 32 <= outputs; o += 32)
            {
                var a0 = Avx.LoadVector256(b + o);
                var a1 = Avx.LoadVector256(b + o + 8);
                var a2 = Avx.LoadVector256(b + o + 16);
                var a3 = Avx.LoadVector256(b + o + 24);
                for (var k = from; k < to; k++)
                {
                    var col = w + ((long)idx[k] * outputs) + o;
                    var v = values.Length == 0 ? 1f : val[k];
                    if (v == 1f)
                    {
                        a0 = Avx.Add(a0, Avx.LoadVector256(col));
                        a1 = Avx.Add(a1, Avx.LoadVector256(col + 8));
                        a2 = Avx.Add(a2, Avx.LoadVector256(col + 16));
                        a3 = Avx.Add(a3, Avx.LoadVector256(col + 24));
                    }
                    else
                    {
                        var vv = Vector256.Create(v);
                        a0 = Avx.Add(a0, Avx.Multiply(Avx.LoadVector256(col), vv));
                        a1 = Avx.Add(a1, Avx.Multiply(Avx.LoadVector256(col + 8), vv));
                        a2 = Avx.Add(a2, Avx.Multiply(Avx.LoadVector256(col + 16), vv));
                        a3 = Avx.Add(a3, Avx.Multiply(Avx.LoadVector256(col + 24), vv));
                    }
                }

                Avx.Store(dst + o, a0);
                Avx.Store(dst + o + 8, a1);
                Avx.Store(dst + o + 16, a2);
                Avx.Store(dst + o + 24, a3);
            }

            for (; o < outputs; o++)
            {
                var acc = b[o];
                for (var k = from; k < to; k++)
                {
                    var v = values.Length == 0 ? 1f : val[k];
                    var x = w[((long)idx[k] * outputs) + o];
                    acc += v == 1f ? x : x * v;
                }

                dst[o] = acc;
            }
        }
    }
}
