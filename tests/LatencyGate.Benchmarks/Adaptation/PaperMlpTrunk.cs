using LatencyGate.Predictors;
using LatencyGate.Spaces;

namespace LatencyGate.Benchmarks.Adaptation;

/// <summary>
/// The seed paper's latency MLP (128-400-400-400-1, ReLU, outputs ms) from its raw float32 weights in
/// ofanas-perfest/predictor_weights, as an <see cref="ITrunkModel"/> so the <c>head</c> strategy can run
/// the paper's protocol on it. Input: one-hot ks (20×3), e (20×3), r (8 slots, (r−112)/16), inactive slots zero.
/// </summary>
internal sealed class PaperMlpTrunk : ITrunkModel
{
    private const int Hidden1 = 400;
    private readonly float[][] _w = new float[4][];
    private readonly float[][] _b = new float[4][];
    private readonly int[] _in = [128, 400, 400, 400];
    private readonly int[] _out = [400, 400, 400, 1];
    private readonly double[] _outputWeights;

    public PaperMlpTrunk(string path, OfaSpace space, string name)
    {
        Space = space;
        Description = $"seed paper MLP ({name})";
        using var stream = File.OpenRead(path);
        using var reader = new BinaryReader(stream);
        for (var l = 0; l < 4; l++)
        {
            _w[l] = Read(reader, _in[l] * _out[l]);
            _b[l] = Read(reader, _out[l]);
        }

        _outputWeights = _w[3].Select(v => (double)v).ToArray();
    }

    /// <summary>
    /// The same weights as the product's learned predictor (kind mlp, outputs ms), which <c>full</c>
    /// fine-tunes layer by layer: the seed paper's fine-tuning of its source MLP. Its inputs are this
    /// trunk's (<c>TutorialOneHotEncoding</c> is the same one-hot layout).
    /// </summary>
    public static LearnedLatencyPredictor Network(string path, OfaSpace space, string name)
    {
        using var stream = File.OpenRead(path);
        using var reader = new BinaryReader(stream);
        var tensors = new List<Learning.NamedTensor>();
        int[] inputs = [128, 400, 400, 400];
        int[] outputs = [400, 400, 400, 1];
        for (var l = 0; l < 4; l++)
        {
            tensors.Add(new Learning.NamedTensor($"{l}.weight", [outputs[l], inputs[l]], Read(reader, inputs[l] * outputs[l])));
            tensors.Add(new Learning.NamedTensor($"{l}.bias", [outputs[l]], Read(reader, outputs[l])));
        }

        var network = Learning.Mlp.FromTensors(tensors, Learning.Activation.Relu);
        return new LearnedLatencyPredictor(space, LatencyModelKind.Mlp, network, Learning.TargetScaler.Identity, null, null, $"seed paper MLP ({name})");
    }

    public string Description { get; }

    public OfaSpace Space { get; }

    public IntervalMethod IntervalMethod => IntervalMethod.None;

    public int HiddenSize => Hidden1;

    public ReadOnlySpan<double> OutputWeights => _outputWeights;

    public double OutputBias => _b[3][0];

    public double TargetScale => 1;

    public double TargetShift => 0;

    public void Hidden(Arch arch, Span<double> hidden)
    {
        var x = Encode(arch);
        for (var l = 0; l < 3; l++)
        {
            var y = new float[_out[l]];
            for (var o = 0; o < _out[l]; o++)
            {
                var s = _b[l][o];
                var row = _w[l].AsSpan(o * _in[l], _in[l]);
                s += System.Numerics.Tensors.TensorPrimitives.Dot(row, x);
                y[o] = Math.Max(0, s);
            }

            x = y;
        }

        for (var i = 0; i < Hidden1; i++)
        {
            hidden[i] = x[i];
        }
    }

    public void Predict(ReadOnlySpan<Arch> archs, Span<double> latencyMs)
    {
        Span<double> h = stackalloc double[Hidden1];
        for (var i = 0; i < archs.Length; i++)
        {
            Hidden(archs[i], h);
            var s = OutputBias;
            for (var j = 0; j < Hidden1; j++)
            {
                s += h[j] * _outputWeights[j];
            }

            latencyMs[i] = s;
        }
    }

    public void PredictWithInterval(ReadOnlySpan<Arch> archs, double confidence, Span<LatencyEstimate> estimates)
    {
        var p = new double[archs.Length];
        Predict(archs, p);
        for (var i = 0; i < p.Length; i++)
        {
            estimates[i] = LatencyEstimate.Exact(p[i]);
        }
    }

    private static float[] Encode(Arch arch)
    {
        var x = new float[128];
        for (var i = 0; i < Arch.SlotCount; i++)
        {
            if (!arch.IsActive(i))
            {
                continue;
            }

            x[(i * 3) + (arch.KernelSizes[i] switch { 3 => 0, 5 => 1, _ => 2 })] = 1;
            x[60 + (i * 3) + (arch.ExpandRatios[i] switch { 3 => 0, 4 => 1, _ => 2 })] = 1;
        }

        x[120 + Math.Clamp((arch.Resolution - 112) / 16, 0, 7)] = 1;
        return x;
    }

    private static float[] Read(BinaryReader reader, int count)
    {
        var bytes = reader.ReadBytes(count * 4);
        var values = new float[count];
        Buffer.BlockCopy(bytes, 0, values, 0, bytes.Length);
        return values;
    }
}
