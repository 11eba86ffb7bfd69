using LatencyGate.Measuring;
using LatencyGate.Networks;
using LatencyGate.Randomness;
using TorchSharp;
using static TorchSharp.torch;

namespace LatencyGate.Torch;

/// <summary>
/// One network as libtorch operations, node for node (<see cref="Network.Nodes"/>), weights from the
/// seed as the ONNX export draws them (<see cref="NetworkWeights"/>), the input as ONNX Runtime's
/// prepared network draws it: the same seed gives the same logits in both runtimes up to rounding.
/// </summary>
internal sealed class TorchPreparedNetwork : IPreparedNetwork
{
    private const float BatchNormEpsilon = 1e-5f;

    private readonly Network _network;
    private readonly Func<Tensor[], Tensor>[] _steps;
    private readonly List<Tensor> _owned = [];
    private readonly Tensor _input;
    private readonly Device _device;
    private float[] _output = [];

    public TorchPreparedNetwork(Network network, int batchSize, ulong seed, Device device)
    {
        _network = network;
        _device = device;
        var shape = network.Input.Shape;
        var inputData = new float[batchSize * shape.Elements];
        var random = new SeededRandom(seed ^ 0x1D0A7E5UL);
        for (var i = 0; i < inputData.Length; i++)
        {
            inputData[i] = (float)((2 * random.NextDouble()) - 1);
        }

        _input = Own(tensor(inputData, [batchSize, shape.Channels, shape.Height, shape.Width]).to(device));
        _steps = network.Nodes.Select(node => Step(node, seed)).ToArray();
    }

    /// <summary>The logits of the last run, [batch × classes] row-major.</summary>
    public ReadOnlySpan<float> Output => _output;

    public void RunOnce()
    {
        using var scope = NewDisposeScope();
        using var inference = inference_mode();
        var values = new Tensor[_steps.Length];
        for (var i = 0; i < _steps.Length; i++)
        {
            var node = _network.Nodes[i];
            values[i] = _steps[i](node.Inputs.Select(j => values[j]).ToArray());
        }

        var output = values[^1];
        if (_device.type == DeviceType.CUDA)
        {
            torch.cuda.synchronize();
        }

        // Reading the logits back is part of a pass in every runtime (ONNX Runtime writes them to bound memory).
        _output = output.cpu().contiguous().data<float>().ToArray();
    }

    public void Dispose()
    {
        foreach (var t in _owned)
        {
            t.Dispose();
        }
    }

    private Tensor Own(Tensor t)
    {
        _owned.Add(t);
        return t;
    }

    private Func<Tensor[], Tensor> Step(NetworkNode node, ulong seed)
    {
        switch (node.Op)
        {
            case InputOp:
                return _ => _input;
            case Conv2dOp c:
                {
                    var weight = NetworkWeights.Weight(seed, node);
                    var bias = new float[c.OutChannels];
                    if (c.Bias)
                    {
                        bias = NetworkWeights.Bias(seed, node, c.OutChannels);
                    }

                    if (c.BatchNorm)
                    {
                        // Eval-mode batch norm with scale 1, mean 0, variance 1 and the drawn shift, folded in.
                        var scale = 1f / MathF.Sqrt(1f + BatchNormEpsilon);
                        var shift = NetworkWeights.Bias(seed, node, c.OutChannels);
                        for (var i = 0; i < weight.Length; i++)
                        {
                            weight[i] *= scale;
                        }

                        for (var o = 0; o < bias.Length; o++)
                        {
                            bias[o] = (bias[o] * scale) + shift[o];
                        }
                    }

                    var w = Own(tensor(weight, [c.OutChannels, c.InChannels / c.Groups, c.Kernel, c.Kernel]).to(_device));
                    var b = (c.Bias || c.BatchNorm) ? Own(tensor(bias, [c.OutChannels]).to(_device)) : null;
                    long[] stride = [c.Stride, c.Stride];
                    long[] padding = [c.Padding, c.Padding];
                    return x => nn.functional.conv2d(x[0], w, b, stride, padding, groups: c.Groups);
                }

            case ReluOp:
                return x => nn.functional.relu(x[0]);
            case Relu6Op:
                return x => nn.functional.relu6(x[0]);
            case HSwishOp:
                return x => nn.functional.hardswish(x[0]);
            case HSigmoidOp:
                return x => nn.functional.hardsigmoid(x[0]);
            case GlobalAvgPoolOp:
                return x => nn.functional.adaptive_avg_pool2d(x[0], [1, 1]);
            case FlattenOp:
                return x => x[0].flatten(1);
            case LinearOp l:
                {
                    var w = Own(tensor(NetworkWeights.Weight(seed, node), [l.OutFeatures, l.InFeatures]).to(_device));
                    var b = l.Bias ? Own(tensor(NetworkWeights.Bias(seed, node, l.OutFeatures), [l.OutFeatures]).to(_device)) : null;
                    return x => nn.functional.linear(x[0], w, b);
                }

            case AddOp:
                return x => x[0].Plus(x[1]);
            case ChannelScaleOp:
                return x => x[0] * x[1];
            default:
                throw new NotSupportedException($"{node.Name}: op {node.Op.GetType().Name} has no libtorch mapping");
        }
    }
}
