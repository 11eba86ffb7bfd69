using System.Globalization;

namespace LatencyGate.Adaptation.Features;

/// <summary>Kinds of layer in an OFA MobileNetV3 sub-network, named as in OFA's latency lookup tables.</summary>
internal enum LayerKind
{
    Conv,
    ExpandedConv,
    Conv1,
    AvgPool,
    Conv2,
    Logits,
}

/// <summary>
/// One layer of an OFA MobileNetV3 sub-network with its shapes (per image). <see cref="OperatorGroup"/>
/// names the resolution-free operator (stage, first block or not, kernel, expand), the unit that
/// per-operator corrections and learned costs share across resolutions.
/// </summary>
internal sealed record LayerShape(
    LayerKind Kind,
    int InputSize,
    int InputChannels,
    int OutputSize,
    int OutputChannels,
    int MidChannels,
    int Kernel,
    int Stride,
    bool IdentitySkip,
    bool SqueezeExcite,
    bool HardSwish,
    int OperatorGroup)
{
    /// <summary>The key this layer has in an OFA latency lookup table (mobile_trim.yaml format).</summary>
    public string LutKey => Kind switch
    {
        LayerKind.Conv => Invariant($"Conv-input:{InputSize}x{InputSize}x{InputChannels}-output:{OutputSize}x{OutputSize}x{OutputChannels}"),
        LayerKind.Conv1 => Invariant($"Conv_1-input:{InputSize}x{InputSize}x{InputChannels}-output:{OutputSize}x{OutputSize}x{OutputChannels}"),
        LayerKind.AvgPool => Invariant($"AvgPool2D-input:{InputSize}x{InputSize}x{InputChannels}-output:1x1x{OutputChannels}"),
        LayerKind.Conv2 => Invariant($"Conv_2-input:1x1x{InputChannels}-output:1x1x{OutputChannels}"),
        LayerKind.Logits => Invariant($"Logits-input:1x1x{InputChannels}-output:{OutputChannels}"),
        _ => Invariant($"expanded_conv-input:{InputSize}x{InputSize}x{InputChannels}-output:{OutputSize}x{OutputSize}x{OutputChannels}-expand:{MidChannels}-kernel:{Kernel}-stride:{Stride}-idskip:{(IdentitySkip ? 1 : 0)}-se:{(SqueezeExcite ? 1 : 0)}-hs:{(HardSwish ? 1 : 0)}"),
    };

    /// <summary>Multiply-accumulates per image (convolutions and the classifier; pooling counted as reads).</summary>
    public double Macs => Kind switch
    {
        LayerKind.Conv => (double)OutputSize * OutputSize * InputChannels * OutputChannels * Kernel * Kernel,
        LayerKind.ExpandedConv => ExpandedConvMacs(),
        LayerKind.AvgPool => (double)InputSize * InputSize * InputChannels,
        _ => (double)OutputSize * OutputSize * InputChannels * OutputChannels,
    };

    /// <summary>Weight bytes (float32).</summary>
    public double WeightBytes => 4.0 * Kind switch
    {
        LayerKind.Conv => (double)InputChannels * OutputChannels * Kernel * Kernel,
        LayerKind.ExpandedConv => ExpandedConvWeights(),
        LayerKind.AvgPool => 0,
        _ => (double)InputChannels * OutputChannels,
    };

    /// <summary>Activation bytes read and written per image (float32), every intermediate tensor of the block once each way.</summary>
    public double ActivationBytes => 4.0 * Kind switch
    {
        LayerKind.ExpandedConv => ExpandedConvActivations(),
        _ => ((double)InputSize * InputSize * InputChannels) + ((double)OutputSize * OutputSize * OutputChannels),
    };

    /// <summary>Separate kernels a framework typically launches for this layer (conv, depthwise, SE, projection...).</summary>
    public int KernelLaunches => Kind switch
    {
        LayerKind.ExpandedConv => (MidChannels != InputChannels ? 1 : 0) + 2 + (SqueezeExcite ? 4 : 0) + (IdentitySkip ? 1 : 0),
        _ => 1,
    };

    private double ExpandedConvMacs()
    {
        var inArea = (double)InputSize * InputSize;
        var outArea = (double)OutputSize * OutputSize;
        var expand = MidChannels != InputChannels ? inArea * InputChannels * MidChannels : 0;
        var depthwise = outArea * MidChannels * Kernel * Kernel;
        var se = SqueezeExcite ? 2.0 * MidChannels * SeChannels : 0;
        var project = outArea * MidChannels * OutputChannels;
        return expand + depthwise + se + project;
    }

    private double ExpandedConvWeights()
    {
        var expand = MidChannels != InputChannels ? (double)InputChannels * MidChannels : 0;
        var se = SqueezeExcite ? 2.0 * MidChannels * SeChannels : 0;
        return expand + ((double)MidChannels * Kernel * Kernel) + se + ((double)MidChannels * OutputChannels);
    }

    private double ExpandedConvActivations()
    {
        var inArea = (double)InputSize * InputSize;
        var outArea = (double)OutputSize * OutputSize;
        var expand = MidChannels != InputChannels ? (inArea * InputChannels) + (inArea * MidChannels) : 0;
        var depthwise = (inArea * MidChannels) + (outArea * MidChannels);
        var se = SqueezeExcite ? 2.0 * outArea * MidChannels : 0;
        var project = (outArea * MidChannels) + (outArea * OutputChannels);
        return expand + depthwise + se + project;
    }

    private int SeChannels => OfaBlockShapes.MakeDivisible(MidChannels / 4.0);

    private static string Invariant(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
