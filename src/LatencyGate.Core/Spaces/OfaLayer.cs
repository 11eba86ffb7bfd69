using System.Globalization;

namespace LatencyGate.Spaces;

/// <summary>
/// One layer of an OFA MobileNetV3 sub-network as OFA's latency table sees it. Sizes are square
/// feature maps (height = width). <see cref="ExpandWidth"/> is the depthwise width (OFA's "mid"),
/// 0 for non-block layers; <see cref="Slot"/> is the elastic slot 0..19 or -1.
/// MACs follow OFA's <c>count_flops_given_config</c> (no pooling, SE included, no activations).
/// </summary>
internal sealed record OfaLayer(
    OfaLayerKind Kind,
    int Slot,
    int InputSize,
    int InputChannels,
    int OutputSize,
    int OutputChannels,
    int Kernel,
    int Stride,
    int ExpandWidth,
    bool Se,
    bool HSwish,
    bool IdSkip,
    long Macs,
    long Params)
{
    /// <summary>Stage 0..4 of an elastic block, -1 otherwise.</summary>
    public int Stage => Slot < 0 ? -1 : Slot / Arch.MaxDepth;

    /// <summary>OFA's MBv3LatencyTable key, e.g. <c>expanded_conv-input:12x12x136-output:12x12x136-expand:408-kernel:3-stride:1-idskip:1-se:1-hs:1</c>.</summary>
    public string LutKey => Kind switch
    {
        OfaLayerKind.FirstConv => Shapes("Conv"),
        OfaLayerKind.FinalExpand => Shapes("Conv_1"),
        OfaLayerKind.AvgPool => Shapes("AvgPool2D"),
        OfaLayerKind.FeatureMix => Shapes("Conv_2"),
        OfaLayerKind.Classifier => string.Create(CultureInfo.InvariantCulture, $"Logits-input:{InputSize}x{InputSize}x{InputChannels}-output:{OutputChannels}"),
        _ => string.Create(
            CultureInfo.InvariantCulture,
            $"{Shapes("expanded_conv")}-expand:{ExpandWidth}-kernel:{Kernel}-stride:{Stride}-idskip:{Flag(IdSkip)}-se:{Flag(Se)}-hs:{Flag(HSwish)}"),
    };

    /// <summary>Input shape as OFA writes it (HxWxC).</summary>
    public string InputShape => string.Create(CultureInfo.InvariantCulture, $"{InputSize}x{InputSize}x{InputChannels}");

    /// <summary>Output shape as OFA writes it (HxWxC, or just the class count for the classifier).</summary>
    public string OutputShape => Kind == OfaLayerKind.Classifier
        ? OutputChannels.ToString(CultureInfo.InvariantCulture)
        : string.Create(CultureInfo.InvariantCulture, $"{OutputSize}x{OutputSize}x{OutputChannels}");

    private static int Flag(bool value) => value ? 1 : 0;

    private string Shapes(string type) => $"{type}-input:{InputShape}-output:{OutputShape}";
}
