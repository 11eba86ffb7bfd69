using LatencyGate.Spaces;

namespace LatencyGate.Adaptation.Features;

/// <summary>
/// An OFA layer (<see cref="OfaLayer"/>: shapes, LUT key, MACs as OFA counts them) with what the
/// adaptation models add: its resolution-free <see cref="OperatorGroup"/> (-1 outside the elastic
/// blocks) and a memory-traffic and kernel-launch view for the roofline.
/// </summary>
internal sealed record LayerShape(OfaLayer Layer, int OperatorGroup)
{
    public OfaLayerKind Kind => Layer.Kind;

    public int OutputSize => Layer.OutputSize;

    public string LutKey => Layer.LutKey;

    public double Macs => Layer.Macs;

    /// <summary>Weight bytes (float32).</summary>
    public double WeightBytes => 4.0 * Layer.Params;

    /// <summary>Activation bytes read and written per image (float32), every intermediate tensor of a block once each way.</summary>
    public double ActivationBytes
    {
        get
        {
            var l = Layer;
            var inArea = (double)l.InputSize * l.InputSize;
            var outArea = (double)l.OutputSize * l.OutputSize;
            if (l.Kind is not (OfaLayerKind.Block or OfaLayerKind.FirstBlock))
            {
                return 4.0 * ((inArea * l.InputChannels) + (outArea * l.OutputChannels));
            }

            var mid = l.ExpandWidth;
            var expand = mid != l.InputChannels ? (inArea * l.InputChannels) + (inArea * mid) : 0;
            var depthwise = (inArea * mid) + (outArea * mid);
            var se = l.Se ? 2.0 * outArea * mid : 0;
            var project = (outArea * mid) + (outArea * l.OutputChannels);
            return 4.0 * (expand + depthwise + se + project);
        }
    }

    /// <summary>Separate kernels a framework typically launches for this layer (expand, depthwise, SE, projection, skip add).</summary>
    public int KernelLaunches => Layer.Kind is OfaLayerKind.Block or OfaLayerKind.FirstBlock
        ? (Layer.ExpandWidth != Layer.InputChannels ? 1 : 0) + 2 + (Layer.Se ? 4 : 0) + (Layer.IdSkip ? 1 : 0)
        : 1;
}
