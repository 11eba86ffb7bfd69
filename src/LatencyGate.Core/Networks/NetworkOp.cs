namespace LatencyGate.Networks;

/// <summary>
/// One operation of a <see cref="Network"/>. Ops are plain values: a runtime (ONNX export, a
/// TorchSharp module) maps each to its own operator. MACs and parameters follow OFA's counting
/// (convolutions and linear layers only; activations, pooling, adds and scales cost no MACs).
/// </summary>
internal abstract record NetworkOp
{
    /// <summary>How many inputs the op takes.</summary>
    public virtual int Arity => 1;

    /// <summary>Trainable parameters (weights, biases, batch-norm scale and shift).</summary>
    public virtual long Params => 0;

    /// <summary>Multiply-accumulates for one sample given the op's output shape.</summary>
    public virtual long Macs(FeatureShape output) => 0;

    /// <summary>The output shape for these input shapes; throws when they do not fit the op.</summary>
    public abstract FeatureShape InferShape(IReadOnlyList<FeatureShape> inputs);

    protected static FeatureShape RequireMap(FeatureShape shape, string op)
    {
        if (shape.IsVector)
        {
            throw new InvalidOperationException($"{op} needs a feature map, got a vector of {shape.Channels}.");
        }

        return shape;
    }
}

/// <summary>The network's input image (3 x r x r).</summary>
internal sealed record InputOp(FeatureShape Shape) : NetworkOp
{
    public override int Arity => 0;

    public override FeatureShape InferShape(IReadOnlyList<FeatureShape> inputs) => Shape;
}

/// <summary>
/// 2-D convolution, square kernel, "same" padding kernel/2 (as OFA's get_same_padding).
/// <see cref="BatchNorm"/>: followed by a batch norm in the trained network (two parameters per
/// output channel); at inference a runtime may fold it into the convolution's bias.
/// </summary>
internal sealed record Conv2dOp(int InChannels, int OutChannels, int Kernel, int Stride, int Groups, bool Bias, bool BatchNorm) : NetworkOp
{
    public int Padding => Kernel / 2;

    public long WeightCount => (long)OutChannels * (InChannels / Groups) * Kernel * Kernel;

    public override long Params => WeightCount + (Bias ? OutChannels : 0) + (BatchNorm ? 2L * OutChannels : 0);

    public override long Macs(FeatureShape output) => WeightCount * output.Height * output.Width;

    public override FeatureShape InferShape(IReadOnlyList<FeatureShape> inputs)
    {
        var x = RequireMap(inputs[0], "Conv2d");
        if (x.Channels != InChannels || InChannels % Groups != 0 || OutChannels % Groups != 0)
        {
            throw new InvalidOperationException($"Conv2d {InChannels}->{OutChannels} (groups {Groups}) cannot take {x}.");
        }

        return new FeatureShape(OutChannels, OutSize(x.Height), OutSize(x.Width));
    }

    private int OutSize(int size) => ((size + (2 * Padding) - Kernel) / Stride) + 1;
}

/// <summary>max(x, 0).</summary>
internal sealed record ReluOp : NetworkOp
{
    public override FeatureShape InferShape(IReadOnlyList<FeatureShape> inputs) => inputs[0];
}

/// <summary>min(max(x, 0), 6) (ProxylessNAS's activation).</summary>
internal sealed record Relu6Op : NetworkOp
{
    public override FeatureShape InferShape(IReadOnlyList<FeatureShape> inputs) => inputs[0];
}

/// <summary>x · relu6(x + 3) / 6.</summary>
internal sealed record HSwishOp : NetworkOp
{
    public override FeatureShape InferShape(IReadOnlyList<FeatureShape> inputs) => inputs[0];
}

/// <summary>relu6(x + 3) / 6.</summary>
internal sealed record HSigmoidOp : NetworkOp
{
    public override FeatureShape InferShape(IReadOnlyList<FeatureShape> inputs) => inputs[0];
}

/// <summary>Mean over height and width, keeping them as 1 x 1.</summary>
internal sealed record GlobalAvgPoolOp : NetworkOp
{
    public override FeatureShape InferShape(IReadOnlyList<FeatureShape> inputs) =>
        new(RequireMap(inputs[0], "GlobalAvgPool").Channels, 1, 1);
}

/// <summary>A c x 1 x 1 map to a vector of c.</summary>
internal sealed record FlattenOp : NetworkOp
{
    public override FeatureShape InferShape(IReadOnlyList<FeatureShape> inputs)
    {
        var x = inputs[0];
        return x.Height == 1 && x.Width == 1
            ? FeatureShape.Vector(x.Channels)
            : throw new InvalidOperationException($"Flatten needs a c x 1 x 1 map, got {x}.");
    }
}

/// <summary>Fully connected layer on a vector.</summary>
internal sealed record LinearOp(int InFeatures, int OutFeatures, bool Bias) : NetworkOp
{
    public override long Params => ((long)InFeatures * OutFeatures) + (Bias ? OutFeatures : 0);

    public override long Macs(FeatureShape output) => (long)InFeatures * OutFeatures;

    public override FeatureShape InferShape(IReadOnlyList<FeatureShape> inputs)
    {
        var x = inputs[0];
        return x.IsVector && x.Channels == InFeatures
            ? FeatureShape.Vector(OutFeatures)
            : throw new InvalidOperationException($"Linear {InFeatures}->{OutFeatures} cannot take {x}.");
    }
}

/// <summary>Element-wise sum of two tensors of the same shape (a residual connection).</summary>
internal sealed record AddOp : NetworkOp
{
    public override int Arity => 2;

    public override FeatureShape InferShape(IReadOnlyList<FeatureShape> inputs) =>
        inputs[0] == inputs[1] ? inputs[0] : throw new InvalidOperationException($"Add needs equal shapes, got {inputs[0]} and {inputs[1]}.");
}

/// <summary>A feature map times a per-channel c x 1 x 1 gate (squeeze-and-excite's output).</summary>
internal sealed record ChannelScaleOp : NetworkOp
{
    public override int Arity => 2;

    public override FeatureShape InferShape(IReadOnlyList<FeatureShape> inputs)
    {
        var (x, gate) = (RequireMap(inputs[0], "ChannelScale"), inputs[1]);
        return gate.Channels == x.Channels && gate.Height == 1 && gate.Width == 1 && !gate.IsVector
            ? x
            : throw new InvalidOperationException($"ChannelScale needs a {x.Channels}x1x1 gate, got {gate}.");
    }
}
