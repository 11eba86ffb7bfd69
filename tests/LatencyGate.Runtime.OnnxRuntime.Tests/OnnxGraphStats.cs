using Onnx;

namespace LatencyGate.Tests.OnnxRuntime;

/// <summary>
/// MACs and trainable parameters read back from an ONNX file alone (not from our network
/// description): shapes are propagated through Conv, Gemm and the shape-keeping ops; parameters
/// are every initializer except batch-norm running statistics and Clip bounds.
/// </summary>
internal static class OnnxGraphStats
{
    public static (long Macs, long Params, int Nodes) Of(ModelProto model)
    {
        var graph = model.Graph;
        var init = graph.Initializer.ToDictionary(t => t.Name, t => t.Dims.ToArray());
        var shapes = new Dictionary<string, long[]>();
        foreach (var input in graph.Input)
        {
            shapes[input.Name] = [.. input.Type.TensorType.Shape.Dim.Skip(1).Select(d => d.DimValue)];
        }

        long macs = 0;
        var buffers = new HashSet<string>();
        foreach (var node in graph.Node)
        {
            var x = shapes[node.Input[0]];
            long[] y;
            switch (node.OpType)
            {
                case "Conv":
                    var w = init[node.Input[1]];
                    var k = Ints(node, "kernel_shape");
                    var s = Ints(node, "strides");
                    var p = Ints(node, "pads");
                    var h = ((x[1] + p[0] + p[2] - k[0]) / s[0]) + 1;
                    var wd = ((x[2] + p[1] + p[3] - k[1]) / s[1]) + 1;
                    y = [w[0], h, wd];
                    macs += w[0] * w[1] * w[2] * w[3] * h * wd;
                    break;
                case "Gemm":
                    var g = init[node.Input[1]];
                    y = [g[0]];
                    macs += g[0] * g[1];
                    break;
                case "GlobalAveragePool":
                    y = [x[0], 1, 1];
                    break;
                case "Flatten":
                    y = [x.Aggregate(1L, (a, b) => a * b)];
                    break;
                case "BatchNormalization":
                    buffers.Add(node.Input[3]);
                    buffers.Add(node.Input[4]);
                    y = x;
                    break;
                case "Clip":
                    buffers.Add(node.Input[1]);
                    buffers.Add(node.Input[2]);
                    y = x;
                    break;
                default:
                    y = x;
                    break;
            }

            shapes[node.Output[0]] = y;
        }

        var parameters = graph.Initializer.Where(t => !buffers.Contains(t.Name)).Sum(t => t.Dims.Aggregate(1L, (a, b) => a * b));
        return (macs, parameters, graph.Node.Count);
    }

    private static long[] Ints(NodeProto node, string name) => [.. node.Attribute.Single(a => a.Name == name).Ints];
}
