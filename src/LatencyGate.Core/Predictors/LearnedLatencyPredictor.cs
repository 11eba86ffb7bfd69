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
internal sealed class LearnedLatencyPredictor : ILatencyPredictor
{
    private const int ChunkRows = 2048;
    private readonly SparseFirstLayer? _first;

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
    }

    public OfaSpace Space { get; }

    public LatencyModelKind Kind { get; }

    public Mlp? Network { get; }

    public TargetScaler TargetScaler { get; }

    public AdditiveLatencyModel? Additive { get; }

    /// <summary>Normalizes the additive estimate before it enters the residual network.</summary>
    public TargetScaler BaseInputScaler { get; }

    public string? Device { get; }

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

        var chunk = Math.Min(ChunkRows, Math.Max(1, archs.Length));
        var width = Network.MaxWidth;
        var hidden = new Matrix(chunk, width);
        var ping = new Matrix(chunk, width);
        var pong = new Matrix(chunk, width);
        var starts = new int[chunk + 1];
        var indices = new int[chunk * (TutorialOneHotEncoding.MaxNonZero + 1)];
        var values = Kind == LatencyModelKind.AdditiveMlp ? new float[indices.Length] : [];
        var baseMs = new double[chunk];
        for (var c0 = 0; c0 < archs.Length; c0 += chunk)
        {
            var n = Math.Min(chunk, archs.Length - c0);
            var nnz = 0;
            for (var r = 0; r < n; r++)
            {
                starts[r] = nnz;
                var arch = archs[c0 + r];
                var count = TutorialOneHotEncoding.Indices(arch, indices.AsSpan(nnz));
                if (Kind == LatencyModelKind.AdditiveMlp)
                {
                    values.AsSpan(nnz, count).Fill(1f);
                    baseMs[r] = Additive!.Predict(arch);
                    indices[nnz + count] = TutorialOneHotEncoding.Size;
                    values[nnz + count] = BaseInputScaler.Apply(baseMs[r]);
                    count++;
                }

                nnz += count;
            }

            starts[n] = nnz;
            _first!.Forward(starts, indices, values, n, hidden.Data);
            var output = Network.Layers.Count == 1 ? hidden.Data : Network.ForwardFrom(1, hidden, n, ping, pong);
            for (var r = 0; r < n; r++)
            {
                var value = TargetScaler.Invert(output[r]);
                latencyMs[c0 + r] = Kind == LatencyModelKind.AdditiveMlp ? baseMs[r] + value : value;
            }
        }
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
}
