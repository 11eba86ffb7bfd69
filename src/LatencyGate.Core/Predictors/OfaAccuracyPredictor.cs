using LatencyGate.Learning;
using LatencyGate.Spaces;
using LatencyGate.Spaces.Encodings;

namespace LatencyGate.Predictors;

/// <summary>
/// OFA's published accuracy predictor (tutorial MLP 128-400-400-400-1, ReLU, output the top-1
/// accuracy as a fraction) over the 128-d one-hot encoding. Batched: the first layer sums
/// weight columns of the ones, the rest runs through the packed GEMM, so tens of thousands of
/// archs are scored per call.
/// </summary>
internal sealed class OfaAccuracyPredictor : IAccuracyObjective
{
    private const int ChunkRows = 2048;
    private readonly SparseFirstLayer _first;

    public OfaAccuracyPredictor(Mlp network, string source)
    {
        if (network.InputSize != TutorialOneHotEncoding.Size || network.OutputSize != 1)
        {
            throw new ArgumentException($"OFA's accuracy predictor maps 128 inputs to 1 output; this network is {network.Shape}", nameof(network));
        }

        Network = network;
        Source = source;
        _first = new SparseFirstLayer(network.Layers[0]);
    }

    public Mlp Network { get; }

    public string Source { get; }

    public string Description => $"OFA accuracy predictor MLP {Network.Shape} ({Source})";

    /// <summary>
    /// Builds the predictor from an nn.Sequential state_dict ("0.weight", "0.bias", "2.weight", ...,
    /// with the ReLU modules between taking the odd indices).
    /// </summary>
    public static OfaAccuracyPredictor FromStateDict(IReadOnlyList<NamedTensor> tensors, string source) =>
        new(Mlp.FromTensors(StateDictLayers.Ordered(tensors), Activation.Relu), source);

    public void Score(ReadOnlySpan<Arch> archs, Span<double> scores)
    {
        if (scores.Length != archs.Length)
        {
            throw new ArgumentException("one score per arch is needed", nameof(scores));
        }

        var chunk = Math.Min(ChunkRows, Math.Max(1, archs.Length));
        var width = Network.MaxWidth;
        var hidden = new Matrix(chunk, width);
        var ping = new Matrix(chunk, width);
        var pong = new Matrix(chunk, width);
        var starts = new int[chunk + 1];
        var indices = new int[chunk * TutorialOneHotEncoding.MaxNonZero];
        for (var c0 = 0; c0 < archs.Length; c0 += chunk)
        {
            var n = Math.Min(chunk, archs.Length - c0);
            var nnz = 0;
            for (var r = 0; r < n; r++)
            {
                starts[r] = nnz;
                nnz += TutorialOneHotEncoding.Indices(archs[c0 + r], indices.AsSpan(nnz));
            }

            starts[n] = nnz;
            _first.Forward(starts, indices, [], n, hidden.Data);
            var output = Network.ForwardFrom(1, hidden, n, ping, pong);
            for (var r = 0; r < n; r++)
            {
                scores[c0 + r] = output[r];
            }
        }
    }
}
