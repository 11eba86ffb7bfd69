namespace LatencyGate.Spaces;

/// <summary>The layer types of OFA's MobileNetV3, named after OFA's lookup-table key prefixes in the docs.</summary>
internal enum OfaLayerKind
{
    /// <summary>The 3x3 stride-2 stem convolution (LUT key <c>Conv</c>).</summary>
    FirstConv,

    /// <summary>The fixed expand-1 block after the stem (LUT key <c>expanded_conv</c>).</summary>
    FirstBlock,

    /// <summary>An elastic MBConv block in one of the 20 slots (LUT key <c>expanded_conv</c>).</summary>
    Block,

    /// <summary>1x1 conv to 960·w channels (LUT key <c>Conv_1</c>).</summary>
    FinalExpand,

    /// <summary>Global average pooling (LUT key <c>AvgPool2D</c>).</summary>
    AvgPool,

    /// <summary>1x1 conv on the pooled vector to 1280·w channels (LUT key <c>Conv_2</c>).</summary>
    FeatureMix,

    /// <summary>The linear classifier to 1000 classes (LUT key <c>Logits</c>).</summary>
    Classifier,
}
