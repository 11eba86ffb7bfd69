using System.Globalization;
using LatencyGate.Spaces;

namespace LatencyGate.Networks;

/// <summary>
/// The concrete network OFA builds for an arch (ofa/utils/layers.py and OFAMobileNetV3), expanded
/// from the same per-layer derivation that <c>explain</c> and the lookup tables use
/// (<see cref="OfaMobileNetV3.Layers"/>), so shapes, MACs and parameters cannot disagree:
/// first_conv (conv, BN, h-swish); each MBConv block: inverted bottleneck 1x1 (not in the
/// expand-1 first block), depthwise kxk with the stride, both with BN and the stage's activation,
/// squeeze-excite (mean, 1x1 to make_divisible(mid // 4) with bias, ReLU, 1x1 back with bias,
/// h-sigmoid, scale) where the stage has it, point-linear 1x1 with BN and no activation, identity
/// skip when stride 1 and width unchanged; final_expand_layer (1x1, BN, h-swish); global average
/// pool; feature_mix_layer (1x1, no bias, no BN, h-swish); classifier (linear with bias).
/// </summary>
internal static class OfaNetwork
{
    public static Network Build(Arch arch, OfaSpace space)
    {
        ArgumentNullException.ThrowIfNull(arch);
        ArgumentNullException.ThrowIfNull(space);
        var layers = OfaMobileNetV3.Layers(arch, space);
        var b = new NetworkBuilder(FeatureShape.Map(3, arch.Resolution));
        var x = 0;
        var block = 0;
        for (var i = 0; i < layers.Count; i++)
        {
            var l = layers[i];
            b.Layer = i;
            switch (l.Kind)
            {
                case OfaLayerKind.FirstConv:
                    x = b.Add("first_conv.conv", new Conv2dOp(l.InputChannels, l.OutputChannels, l.Kernel, l.Stride, 1, Bias: false, BatchNorm: true), x);
                    x = b.Add("first_conv.act", new HSwishOp(), x);
                    break;
                case OfaLayerKind.FirstBlock or OfaLayerKind.Block:
                    x = AddBlock(b, l, string.Create(CultureInfo.InvariantCulture, $"blocks.{block++}"), x);
                    break;
                case OfaLayerKind.FinalExpand:
                    x = b.Add("final_expand_layer.conv", new Conv2dOp(l.InputChannels, l.OutputChannels, 1, 1, 1, Bias: false, BatchNorm: true), x);
                    x = b.Add("final_expand_layer.act", new HSwishOp(), x);
                    break;
                case OfaLayerKind.AvgPool:
                    x = b.Add("global_avg_pool", new GlobalAvgPoolOp(), x);
                    break;
                case OfaLayerKind.FeatureMix:
                    x = b.Add("feature_mix_layer.conv", new Conv2dOp(l.InputChannels, l.OutputChannels, 1, 1, 1, Bias: false, BatchNorm: false), x);
                    x = b.Add("feature_mix_layer.act", new HSwishOp(), x);
                    break;
                case OfaLayerKind.Classifier:
                    x = b.Add("flatten", new FlattenOp(), x);
                    b.Add("classifier.linear", new LinearOp(l.InputChannels, l.OutputChannels, Bias: true), x);
                    break;
                default:
                    throw new InvalidOperationException("Unknown OFA layer kind " + l.Kind);
            }
        }

        return b.Build($"{space.Name} {arch.CanonicalKey}");
    }

    private static int AddBlock(NetworkBuilder b, OfaLayer l, string name, int input)
    {
        NetworkOp Act() => l.HSwish ? new HSwishOp() : new ReluOp();
        var mid = l.ExpandWidth;
        var x = input;
        if (l.Kind == OfaLayerKind.Block)
        {
            x = b.Add(name + ".conv.inverted_bottleneck.conv", new Conv2dOp(l.InputChannels, mid, 1, 1, 1, Bias: false, BatchNorm: true), x);
            x = b.Add(name + ".conv.inverted_bottleneck.act", Act(), x);
        }

        x = b.Add(name + ".conv.depth_conv.conv", new Conv2dOp(mid, mid, l.Kernel, l.Stride, mid, Bias: false, BatchNorm: true), x);
        x = b.Add(name + ".conv.depth_conv.act", Act(), x);
        if (l.Se)
        {
            x = AddSqueezeExcite(b, name + ".conv.depth_conv.se", mid, x);
        }

        x = b.Add(name + ".conv.point_linear.conv", new Conv2dOp(mid, l.OutputChannels, 1, 1, 1, Bias: false, BatchNorm: true), x);
        return l.IdSkip ? b.Add(name + ".add", new AddOp(), x, input) : x;
    }

    /// <summary>
    /// OFA's squeeze-and-excitation module on <paramref name="channels"/> channels, with its layer names
    /// under <paramref name="prefix"/>: both the arch-built and the config-built network use it, so their graphs agree.
    /// </summary>
    internal static int AddSqueezeExcite(NetworkBuilder b, string prefix, int channels, int x)
    {
        var reduced = OfaMobileNetV3.MakeDivisible(channels / 4);
        var s = b.Add(prefix + ".pool", new GlobalAvgPoolOp(), x);
        s = b.Add(prefix + ".fc.reduce", new Conv2dOp(channels, reduced, 1, 1, 1, Bias: true, BatchNorm: false), s);
        s = b.Add(prefix + ".fc.relu", new ReluOp(), s);
        s = b.Add(prefix + ".fc.expand", new Conv2dOp(reduced, channels, 1, 1, 1, Bias: true, BatchNorm: false), s);
        s = b.Add(prefix + ".fc.h_sigmoid", new HSigmoidOp(), s);
        return b.Add(prefix + ".scale", new ChannelScaleOp(), x, s);
    }
}
