using System.Globalization;
using LatencyGate.Randomness;

namespace LatencyGate.Learning;

/// <summary>
/// A multilayer perceptron: dense layers, the hidden ones with one activation, the last linear.
/// Immutable during inference (safe from several threads); the trainer updates it in place.
/// </summary>
internal sealed class Mlp
{
    /// <summary>Rows per inference chunk: large enough for the GEMM, small enough to stay in cache.</summary>
    private const int ChunkRows = 1536;

    public Mlp(IReadOnlyList<DenseLayer> layers)
    {
        if (layers.Count == 0)
        {
            throw new ArgumentException("an MLP needs at least one layer", nameof(layers));
        }

        for (var i = 1; i < layers.Count; i++)
        {
            if (layers[i].Inputs != layers[i - 1].Outputs)
            {
                throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"layer {i} takes {layers[i].Inputs} inputs but layer {i - 1} gives {layers[i - 1].Outputs}"), nameof(layers));
            }
        }

        Layers = layers;
    }

    public IReadOnlyList<DenseLayer> Layers { get; }

    public int InputSize => Layers[0].Inputs;

    public int OutputSize => Layers[^1].Outputs;

    public int MaxWidth => Layers.Max(l => Math.Max(l.Inputs, l.Outputs));

    public long ParameterCount => Layers.Sum(l => ((long)l.Inputs * l.Outputs) + l.Outputs);

    /// <summary>Multiply-adds per sample through the whole network.</summary>
    public long MacsPerSample => Layers.Sum(l => (long)l.Inputs * l.Outputs);

    /// <summary>e.g. "128-400-400-400-1".</summary>
    public string Shape => string.Join("-", new[] { InputSize }.Concat(Layers.Select(l => l.Outputs)).Select(v => v.ToString(CultureInfo.InvariantCulture)));

    /// <summary>
    /// The number of training rows in <paramref name="inputs"/> and <paramref name="targets"/> (row-major,
    /// [rows, InputSize] and [rows, OutputSize]); every trainer checks its data here, so all engines refuse the same shapes.
    /// </summary>
    public int TrainingRows(float[] inputs, float[] targets)
    {
        var rows = inputs.Length / InputSize;
        if (rows == 0 || inputs.Length != rows * InputSize || targets.Length != rows * OutputSize)
        {
            throw new ArgumentException("inputs and targets do not match the model's sizes (or are empty)");
        }

        return rows;
    }

    public Activation HiddenActivation => Layers.Count > 1 ? Layers[0].Activation : Activation.Identity;

    /// <summary>
    /// A fresh network with PyTorch's default nn.Linear initialisation (weights and biases
    /// uniform in ±1/√fan_in), drawn from <paramref name="random"/>.
    /// </summary>
    public static Mlp Create(IReadOnlyList<int> sizes, Activation hidden, SeededRandom random)
    {
        if (sizes.Count < 2)
        {
            throw new ArgumentException("sizes needs at least input and output", nameof(sizes));
        }

        var layers = new List<DenseLayer>();
        for (var l = 0; l + 1 < sizes.Count; l++)
        {
            var fanIn = sizes[l];
            var bound = 1.0 / Math.Sqrt(fanIn);
            var w = new Matrix(sizes[l + 1], fanIn);
            for (var i = 0; i < w.Data.Length; i++)
            {
                w.Data[i] = (float)(((2.0 * random.NextDouble()) - 1.0) * bound);
            }

            var b = new float[sizes[l + 1]];
            for (var i = 0; i < b.Length; i++)
            {
                b[i] = (float)(((2.0 * random.NextDouble()) - 1.0) * bound);
            }

            layers.Add(new DenseLayer(w, b, l + 2 < sizes.Count ? hidden : Activation.Identity));
        }

        return new Mlp(layers);
    }

    /// <summary>
    /// Builds a network from weight/bias pairs in order (the layout of a PyTorch nn.Sequential
    /// state_dict: "0.weight", "0.bias", "2.weight", ...); shapes are checked.
    /// </summary>
    public static Mlp FromTensors(IReadOnlyList<NamedTensor> weightsAndBiases, Activation hidden)
    {
        if (weightsAndBiases.Count == 0 || weightsAndBiases.Count % 2 != 0)
        {
            throw new ArgumentException("expected weight/bias pairs", nameof(weightsAndBiases));
        }

        var layers = new List<DenseLayer>();
        var pairs = weightsAndBiases.Count / 2;
        for (var l = 0; l < pairs; l++)
        {
            var w = weightsAndBiases[2 * l];
            var b = weightsAndBiases[(2 * l) + 1];
            if (w.Shape.Length != 2 || b.Shape.Length != 1 || b.Shape[0] != w.Shape[0] || w.Values.Length != w.Shape[0] * w.Shape[1] || b.Values.Length != b.Shape[0])
            {
                throw new ArgumentException($"tensors '{w.Name}' [{string.Join(",", w.Shape)}] and '{b.Name}' [{string.Join(",", b.Shape)}] are not a dense layer's weight [out,in] and bias [out]", nameof(weightsAndBiases));
            }

            layers.Add(new DenseLayer(new Matrix(w.Shape[0], w.Shape[1], (float[])w.Values.Clone()), (float[])b.Values.Clone(), l + 1 < pairs ? hidden : Activation.Identity));
        }

        return new Mlp(layers);
    }

    /// <summary>Tensors named "{prefix}{i}.weight" / "{prefix}{i}.bias", i = layer index.</summary>
    public IReadOnlyList<NamedTensor> ToTensors(string prefix)
    {
        var result = new List<NamedTensor>();
        for (var l = 0; l < Layers.Count; l++)
        {
            var layer = Layers[l];
            var index = l.ToString(CultureInfo.InvariantCulture);
            result.Add(new NamedTensor($"{prefix}{index}.weight", [layer.Outputs, layer.Inputs], (float[])layer.Weight.Data.Clone()));
            result.Add(new NamedTensor($"{prefix}{index}.bias", [layer.Outputs], (float[])layer.Bias.Clone()));
        }

        return result;
    }

    public Mlp Clone() => new(Layers.Select(l => l.Clone()).ToArray());

    /// <summary>Copies every parameter of <paramref name="source"/> (same shapes) into this network.</summary>
    public void CopyFrom(Mlp source)
    {
        for (var l = 0; l < Layers.Count; l++)
        {
            source.Layers[l].Weight.Data.AsSpan().CopyTo(Layers[l].Weight.Data);
            source.Layers[l].Bias.AsSpan().CopyTo(Layers[l].Bias);
        }
    }

    /// <summary>Batched inference: outputs[rows, OutputSize] for inputs[rows, InputSize] (row-major).</summary>
    public void Predict(ReadOnlySpan<float> inputs, Span<float> outputs)
    {
        var rows = inputs.Length / InputSize;
        if (inputs.Length != rows * InputSize || outputs.Length != rows * OutputSize)
        {
            throw new ArgumentException("inputs and outputs do not match the network's sizes");
        }

        var chunk = Math.Min(ChunkRows, Math.Max(rows, 1));
        var input = new Matrix(chunk, InputSize);
        var ping = new Matrix(chunk, MaxWidth);
        var pong = new Matrix(chunk, MaxWidth);
        for (var r0 = 0; r0 < rows; r0 += chunk)
        {
            var n = Math.Min(chunk, rows - r0);
            inputs.Slice(r0 * InputSize, n * InputSize).CopyTo(input.Data);
            var result = ForwardFrom(0, input, n, ping, pong);
            for (var i = 0; i < n; i++)
            {
                result.AsSpan(i * OutputSize, OutputSize).CopyTo(outputs.Slice((r0 + i) * OutputSize, OutputSize));
            }
        }
    }

    /// <summary>
    /// Runs layers <paramref name="firstLayer"/>.. on <paramref name="rows"/> rows of
    /// <paramref name="input"/>, read packed (row stride = that layer's input count, whatever the
    /// matrix's own width), ping-ponging between two
    /// scratch buffers of MaxWidth columns; returns the buffer holding the output, packed
    /// [rows, OutputSize].
    /// </summary>
    public float[] ForwardFrom(int firstLayer, Matrix input, int rows, Matrix ping, Matrix pong) =>
        ForwardRange(firstLayer, Layers.Count, input, rows, ping, pong);

    /// <summary>
    /// As <see cref="ForwardFrom"/> but stops before layer <paramref name="endLayer"/>: running
    /// [0, L−1) then [L−1, L) computes exactly what one pass does (a network's trunk, then its head).
    /// </summary>
    public float[] ForwardRange(int firstLayer, int endLayer, Matrix input, int rows, Matrix ping, Matrix pong)
    {
        var currentData = input.Data;
        var currentWidth = Layers[firstLayer].Inputs;
        for (var l = firstLayer; l < endLayer; l++)
        {
            var layer = Layers[l];
            var target = ReferenceEquals(currentData, ping.Data) ? pong : ping;
            Gemm.Multiply(
                rows, layer.Outputs, layer.Inputs,
                currentData, 0, currentWidth, false,
                layer.Weight.Data, 0, layer.Inputs, true,
                target.Data, 0, layer.Outputs,
                accumulate: false);
            for (var i = 0; i < rows; i++)
            {
                var row = target.Data.AsSpan(i * layer.Outputs, layer.Outputs);
                System.Numerics.Tensors.TensorPrimitives.Add(row, layer.Bias, row);
                layer.Activation.Apply(row);
            }

            currentData = target.Data;
            currentWidth = layer.Outputs;
        }

        return currentData;
    }
}
