using System.Globalization;
using LatencyGate.Learning;
using LatencyGate.Spaces;
using LatencyGate.Spaces.Encodings;

namespace LatencyGate.Predictors;

/// <summary>
/// A latency predictor learned from measurements: the seed paper's MLP over the one-hot
/// encoding, the structured additive model, or both (MLP on the additive model's residual).
/// Immutable; batched prediction runs the sparse first layer and the packed GEMM.
/// </summary>
internal sealed class LearnedLatencyPredictor : ITrunkModel
{
    private const int ChunkRows = 2048;
    private readonly SparseFirstLayer? _first;
    private readonly double[] _outputWeights;

    public LearnedLatencyPredictor(
        OfaSpace space,
        LatencyModelKind kind,
        Mlp? network,
        TargetScaler targetScaler,
        AdditiveLatencyModel? additive,
        TargetScaler? baseInputScaler = null,
        string? device = null)
    {
        if ((kind != LatencyModelKind.Additive && network is null) || (kind != LatencyModelKind.Mlp && additive is null))
        {
            throw new ArgumentException($"a {kind.Name()} predictor is missing its parts");
        }

        var expectedInputs = kind == LatencyModelKind.AdditiveMlp ? TutorialOneHotEncoding.Size + 1 : TutorialOneHotEncoding.Size;
        if (network is not null && (network.InputSize != expectedInputs || network.OutputSize != 1))
        {
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"a {kind.Name()} network must map {expectedInputs} inputs to 1 output; this one is {network.Shape}"));
        }

        Space = space;
        Kind = kind;
        Network = kind == LatencyModelKind.Additive ? null : network;
        TargetScaler = targetScaler;
        Additive = kind == LatencyModelKind.Mlp ? null : additive;
        BaseInputScaler = baseInputScaler ?? TargetScaler.Identity;
        Device = device;
        _first = Network is null ? null : new SparseFirstLayer(Network.Layers[0]);
        _outputWeights = new double[HiddenSize];
        if (_outputWeights.Length > 0)
        {
            var last = Network!.Layers[^1];
            for (var j = 0; j < last.Inputs; j++)
            {
                _outputWeights[j] = last.Weight.Data[j];
            }

            if (Kind == LatencyModelKind.AdditiveMlp)
            {
                _outputWeights[last.Inputs] = 1.0 / TargetScaler.Scale;
            }
        }
    }

    public OfaSpace Space { get; }

    public LatencyModelKind Kind { get; }

    public Mlp? Network { get; }

    public TargetScaler TargetScaler { get; }

    public AdditiveLatencyModel? Additive { get; }

    /// <summary>Normalizes the additive estimate before it enters the residual network.</summary>
    public TargetScaler BaseInputScaler { get; }

    public string? Device { get; }

    /// <summary>The archs the fit saw (training and validation), when known: adaptation keeps them out of interval calibration.</summary>
    public ArchSetFilter? TrainingArchs { get; init; }

    public string Description => Kind switch
    {
        LatencyModelKind.Mlp => $"MLP {Network!.Shape}",
        LatencyModelKind.Additive => string.Create(CultureInfo.InvariantCulture, $"additive per-layer model ({Additive!.Knots.Length} resolution knots)"),
        _ => $"additive per-layer model + residual MLP {Network!.Shape}",
    } + (Device is null ? string.Empty : $" for {Device}");

    public IntervalMethod IntervalMethod => IntervalMethod.None;

    public void Predict(ReadOnlySpan<Arch> archs, Span<double> latencyMs)
    {
        if (latencyMs.Length != archs.Length)
        {
            throw new ArgumentException("one output per arch is needed", nameof(latencyMs));
        }

        if (Network is null)
        {
            for (var i = 0; i < archs.Length; i++)
            {
                latencyMs[i] = Additive!.Predict(archs[i]);
            }

            return;
        }

        var scratch = new Scratch(this, archs.Length);
        var layers = Network.Layers.Count;
        for (var c0 = 0; c0 < archs.Length; c0 += scratch.Rows)
        {
            var n = Math.Min(scratch.Rows, archs.Length - c0);
            var trunk = RunTrunk(archs.Slice(c0, n), scratch);

            // The head is the last layer applied to the trunk's output: the graph Hidden exposes to
            // the head strategy is, by construction, the one prediction runs.
            var output = layers == 1 ? trunk.Data : Network.ForwardRange(layers - 1, layers, trunk, n, scratch.Ping, scratch.Pong);
            for (var r = 0; r < n; r++)
            {
                var value = TargetScaler.Invert(output[r]);
                latencyMs[c0 + r] = Kind == LatencyModelKind.AdditiveMlp ? scratch.BaseMs[r] + value : value;
            }
        }
    }

    /// <summary>
    /// The trunk's features: the last hidden layer's activations (widened to double), and for
    /// additive+mlp also the additive estimate in ms, whose output weight 1/TargetScale makes
    /// (OutputWeights · h + OutputBias) · TargetScale + TargetShift the prediction.
    /// </summary>
    public int HiddenSize => Network is { Layers.Count: > 1 } network
        ? network.Layers[^1].Inputs + (Kind == LatencyModelKind.AdditiveMlp ? 1 : 0)
        : 0;

    public ReadOnlySpan<double> OutputWeights => _outputWeights;

    public double OutputBias => Network is { Layers.Count: > 1 } network ? network.Layers[^1].Bias[0] : 0;

    public double TargetScale => TargetScaler.Scale;

    public double TargetShift => TargetScaler.Shift;

    public void Hidden(Arch arch, Span<double> hidden) => Hidden([arch], hidden);

    public void Hidden(ReadOnlySpan<Arch> archs, Span<double> hidden)
    {
        var size = HiddenSize;
        if (size == 0)
        {
            throw new InvalidOperationException($"a {Description} has no hidden layer to expose");
        }

        if (hidden.Length != archs.Length * size)
        {
            throw new ArgumentException("HiddenSize values per arch are needed", nameof(hidden));
        }

        var width = Network!.Layers[^1].Inputs;
        var scratch = new Scratch(this, archs.Length);
        for (var c0 = 0; c0 < archs.Length; c0 += scratch.Rows)
        {
            var n = Math.Min(scratch.Rows, archs.Length - c0);
            var trunk = RunTrunk(archs.Slice(c0, n), scratch);
            for (var r = 0; r < n; r++)
            {
                var row = hidden.Slice((c0 + r) * size, size);
                var activations = trunk.Data.AsSpan(r * width, width);
                for (var j = 0; j < width; j++)
                {
                    row[j] = activations[j];
                }

                if (Kind == LatencyModelKind.AdditiveMlp)
                {
                    row[width] = scratch.BaseMs[r];
                }
            }
        }
    }

    /// <summary>
    /// Encodes <paramref name="archs"/> (at most <see cref="Scratch.Rows"/>) and runs every layer but
    /// the last (the sparse first layer included); returns the matrix holding the result, packed
    /// [n, width]. A one-layer network's "trunk" is its only layer, i.e. its output.
    /// </summary>
    private Matrix RunTrunk(ReadOnlySpan<Arch> archs, Scratch s)
    {
        var n = archs.Length;
        var nnz = 0;
        for (var r = 0; r < n; r++)
        {
            s.Starts[r] = nnz;
            var arch = archs[r];
            var count = TutorialOneHotEncoding.Indices(arch, s.Indices.AsSpan(nnz));
            if (Kind == LatencyModelKind.AdditiveMlp)
            {
                s.Values.AsSpan(nnz, count).Fill(1f);
                s.BaseMs[r] = Additive!.Predict(arch);
                s.Indices[nnz + count] = TutorialOneHotEncoding.Size;
                s.Values[nnz + count] = BaseInputScaler.Apply(s.BaseMs[r]);
                count++;
            }

            nnz += count;
        }

        s.Starts[n] = nnz;
        _first!.Forward(s.Starts, s.Indices, s.Values, n, s.Hidden.Data);
        var layers = Network!.Layers.Count;
        if (layers <= 2)
        {
            return s.Hidden;
        }

        var result = Network.ForwardRange(1, layers - 1, s.Hidden, n, s.Ping, s.Pong);
        return ReferenceEquals(result, s.Ping.Data) ? s.Ping : s.Pong;
    }

    public void PredictWithInterval(ReadOnlySpan<Arch> archs, double confidence, Span<LatencyEstimate> estimates)
    {
        var point = new double[archs.Length];
        Predict(archs, point);
        for (var i = 0; i < point.Length; i++)
        {
            estimates[i] = LatencyEstimate.Exact(point[i]);
        }
    }

    public double Predict(Arch arch)
    {
        Span<double> one = stackalloc double[1];
        Predict([arch], one);
        return one[0];
    }

    /// <summary>Per-call buffers for one chunk of rows (a predictor is shared across threads, so never cached on it).</summary>
    private sealed class Scratch
    {
        public Scratch(LearnedLatencyPredictor owner, int count)
        {
            Rows = Math.Min(ChunkRows, Math.Max(1, count));
            var width = owner.Network!.MaxWidth;
            Hidden = new Matrix(Rows, width);
            Ping = new Matrix(Rows, width);
            Pong = new Matrix(Rows, width);
            Starts = new int[Rows + 1];
            Indices = new int[Rows * (TutorialOneHotEncoding.MaxNonZero + 1)];
            Values = owner.Kind == LatencyModelKind.AdditiveMlp ? new float[Indices.Length] : [];
            BaseMs = new double[Rows];
        }

        public int Rows { get; }

        public Matrix Hidden { get; }

        public Matrix Ping { get; }

        public Matrix Pong { get; }

        public int[] Starts { get; }

        public int[] Indices { get; }

        public float[] Values { get; }

        public double[] BaseMs { get; }
    }
}
