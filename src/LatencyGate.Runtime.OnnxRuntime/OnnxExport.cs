using System.Globalization;
using System.Runtime.InteropServices;
using Google.Protobuf;
using LatencyGate.Networks;
using Onnx;

namespace LatencyGate.Runtime.OnnxRuntime;

/// <summary>
/// A <see cref="Network"/> as an ONNX model (opset 17, IR 8) that any ONNX tool opens: input
/// <c>input</c> [batch, 3, r, r], output <c>logits</c> [batch, 1000], the batch a symbolic
/// dimension. Tensor names follow OFA's PyTorch state dict (<c>blocks.3.conv.depth_conv.bn.weight</c>).
/// Batch norm stays a BatchNormalization node (eval mode) rather than being folded, so the
/// trainable parameters of the file (every initializer but the running statistics) are exactly
/// OFA's count; ONNX Runtime folds it into the convolution when it loads the model.
/// </summary>
internal static class OnnxExport
{
    public const int Opset = 17;
    public const string InputName = "input";
    public const string OutputName = "logits";
    public const string BatchDimension = "batch";

    public static ModelProto ToModel(Network network, ulong seed, IReadOnlyDictionary<string, string>? metadata = null)
    {
        ArgumentNullException.ThrowIfNull(network);
        var graph = new GraphProto { Name = "ofa_subnet", DocString = network.Name };
        var outputs = new string[network.Nodes.Count];
        foreach (var node in network.Nodes)
        {
            var inputs = node.Inputs.Select(i => outputs[i]).ToArray();
            outputs[node.Index] = node.Index == network.Nodes.Count - 1 ? OutputName : node.Name;
            var output = outputs[node.Index];
            switch (node.Op)
            {
                case InputOp op:
                    outputs[0] = InputName;
                    graph.Input.Add(Value(InputName, op.Shape));
                    break;
                case Conv2dOp c:
                    outputs[node.Index] = AddConv(graph, node, c, inputs[0], output, seed);
                    break;
                case ReluOp:
                    graph.Node.Add(Node("Relu", node.Name, inputs, output));
                    break;
                case Relu6Op:
                    if (!graph.Initializer.Any(t => t.Name == "relu6.min"))
                    {
                        graph.Initializer.Add(Tensor("relu6.min", [], [0f]));
                        graph.Initializer.Add(Tensor("relu6.max", [], [6f]));
                    }

                    graph.Node.Add(Node("Clip", node.Name, [inputs[0], "relu6.min", "relu6.max"], output));
                    break;
                case HSwishOp:
                    graph.Node.Add(Node("HardSwish", node.Name, inputs, output));
                    break;
                case HSigmoidOp:
                    // relu6(x + 3) / 6 = clip(x / 6 + 0.5, 0, 1)
                    graph.Node.Add(Node("HardSigmoid", node.Name, inputs, output, FloatAttr("alpha", 1f / 6f), FloatAttr("beta", 0.5f)));
                    break;
                case GlobalAvgPoolOp:
                    graph.Node.Add(Node("GlobalAveragePool", node.Name, inputs, output));
                    break;
                case FlattenOp:
                    graph.Node.Add(Node("Flatten", node.Name, inputs, output, IntAttr("axis", 1)));
                    break;
                case LinearOp l:
                    var w = node.Name + ".weight";
                    graph.Initializer.Add(Tensor(w, [l.OutFeatures, l.InFeatures], NetworkWeights.Weight(seed, node)));
                    var gemmInputs = new List<string> { inputs[0], w };
                    if (l.Bias)
                    {
                        graph.Initializer.Add(Tensor(node.Name + ".bias", [l.OutFeatures], NetworkWeights.Bias(seed, node, l.OutFeatures)));
                        gemmInputs.Add(node.Name + ".bias");
                    }

                    graph.Node.Add(Node("Gemm", node.Name, [.. gemmInputs], output, IntAttr("transB", 1)));
                    break;
                case AddOp:
                    graph.Node.Add(Node("Add", node.Name, inputs, output));
                    break;
                case ChannelScaleOp:
                    graph.Node.Add(Node("Mul", node.Name, inputs, output));
                    break;
                default:
                    throw new NotSupportedException("No ONNX mapping for " + node.Op.GetType().Name);
            }
        }

        graph.Output.Add(Value(OutputName, network.Output.Shape));
        var model = new ModelProto
        {
            IrVersion = 8,
            ProducerName = "latency-gate",
            ProducerVersion = typeof(OnnxExport).Assembly.GetName().Version?.ToString() ?? "0",
            DocString = network.Name,
            Graph = graph,
        };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = string.Empty, Version = Opset });
        foreach (var (key, value) in metadata ?? new Dictionary<string, string>())
        {
            model.MetadataProps.Add(new StringStringEntryProto { Key = key, Value = value });
        }

        return model;
    }

    public static byte[] ToBytes(Network network, ulong seed, IReadOnlyDictionary<string, string>? metadata = null) =>
        ToModel(network, seed, metadata).ToByteArray();

    /// <returns>The name of the value the convolution (and its batch norm) produce.</returns>
    private static string AddConv(GraphProto graph, NetworkNode node, Conv2dOp c, string input, string output, ulong seed)
    {
        var w = node.Name + ".weight";
        graph.Initializer.Add(Tensor(w, [c.OutChannels, c.InChannels / c.Groups, c.Kernel, c.Kernel], NetworkWeights.Weight(seed, node)));
        var convInputs = new List<string> { input, w };
        if (c.Bias)
        {
            graph.Initializer.Add(Tensor(node.Name + ".bias", [c.OutChannels], NetworkWeights.Bias(seed, node, c.OutChannels)));
            convInputs.Add(node.Name + ".bias");
        }

        var p = c.Padding;
        var convOutput = c.BatchNorm ? node.Name : output;
        graph.Node.Add(Node(
            "Conv", node.Name, [.. convInputs], convOutput,
            IntsAttr("kernel_shape", c.Kernel, c.Kernel), IntsAttr("strides", c.Stride, c.Stride),
            IntsAttr("pads", p, p, p, p), IntsAttr("dilations", 1, 1), IntAttr("group", c.Groups)));
        if (!c.BatchNorm)
        {
            return convOutput;
        }

        // OFA names the conv "<x>.conv" and its batch norm "<x>.bn".
        var bn = node.Name.EndsWith(".conv", StringComparison.Ordinal) ? node.Name[..^5] + ".bn" : node.Name + ".bn";
        var bnOutput = output == OutputName ? output : bn;
        var n = c.OutChannels;
        graph.Initializer.Add(Tensor(bn + ".weight", [n], Filled(n, 1f)));
        graph.Initializer.Add(Tensor(bn + ".bias", [n], NetworkWeights.Bias(seed, node, n)));
        graph.Initializer.Add(Tensor(bn + ".running_mean", [n], Filled(n, 0f)));
        graph.Initializer.Add(Tensor(bn + ".running_var", [n], Filled(n, 1f)));
        graph.Node.Add(Node(
            "BatchNormalization", bn, [convOutput, bn + ".weight", bn + ".bias", bn + ".running_mean", bn + ".running_var"], bnOutput,
            FloatAttr("epsilon", 1e-5f)));
        return bnOutput;
    }

    private static float[] Filled(int n, float value)
    {
        var v = new float[n];
        Array.Fill(v, value);
        return v;
    }

    private static NodeProto Node(string op, string name, string[] inputs, string output, params AttributeProto[] attributes)
    {
        var node = new NodeProto { OpType = op, Name = name };
        node.Input.AddRange(inputs);
        node.Output.Add(output);
        node.Attribute.AddRange(attributes);
        return node;
    }

    private static AttributeProto IntAttr(string name, long value) =>
        new() { Name = name, Type = AttributeProto.Types.AttributeType.Int, I = value };

    private static AttributeProto FloatAttr(string name, float value) =>
        new() { Name = name, Type = AttributeProto.Types.AttributeType.Float, F = value };

    private static AttributeProto IntsAttr(string name, params long[] values)
    {
        var a = new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Ints };
        a.Ints.AddRange(values);
        return a;
    }

    private static TensorProto Tensor(string name, long[] dims, float[] values)
    {
        var t = new TensorProto { Name = name, DataType = (int)TensorProto.Types.DataType.Float };
        t.Dims.AddRange(dims);
        // ONNX raw data is little-endian, as is every platform .NET runs on here.
        t.RawData = ByteString.CopyFrom(MemoryMarshal.AsBytes(values.AsSpan()));
        return t;
    }

    private static ValueInfoProto Value(string name, FeatureShape shape)
    {
        var dims = new TensorShapeProto();
        dims.Dim.Add(new TensorShapeProto.Types.Dimension { DimParam = BatchDimension });
        long[] rest = shape.IsVector ? [shape.Channels] : [shape.Channels, shape.Height, shape.Width];
        foreach (var d in rest)
        {
            dims.Dim.Add(new TensorShapeProto.Types.Dimension { DimValue = d });
        }

        return new ValueInfoProto
        {
            Name = name,
            Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)TensorProto.Types.DataType.Float, Shape = dims } },
        };
    }

    internal static string Invariant(long value) => value.ToString(CultureInfo.InvariantCulture);
}
