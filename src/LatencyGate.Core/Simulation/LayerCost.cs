using LatencyGate.Spaces;

namespace LatencyGate.Simulation;

/// <summary>
/// A layer's work split the way hardware sees it: dense MACs (1x1 and full convs, linear),
/// depthwise MACs, activation elements moved (read + write), weight elements and kernel launches.
/// </summary>
internal readonly record struct LayerCost(double DenseMacs, double DepthwiseMacs, double ActivationElements, double WeightElements, int Kernels)
{
    public static LayerCost Of(OfaLayer layer)
    {
        double inPixels = (double)layer.InputSize * layer.InputSize;
        double outPixels = (double)layer.OutputSize * layer.OutputSize;
        switch (layer.Kind)
        {
            case OfaLayerKind.Block:
            case OfaLayerKind.FirstBlock:
            {
                var mid = layer.ExpandWidth > 0 ? layer.ExpandWidth : layer.InputChannels;
                var hasExpand = mid != layer.InputChannels || layer.Kind == OfaLayerKind.Block;
                var expandMacs = hasExpand ? inPixels * layer.InputChannels * mid : 0;
                var depthwiseMacs = outPixels * mid * layer.Kernel * layer.Kernel;
                var projectMacs = outPixels * mid * layer.OutputChannels;
                var seMacs = layer.Se ? 2.0 * mid * (mid / 4.0) : 0;
                var activations = (inPixels * layer.InputChannels)
                    + (hasExpand ? 2 * inPixels * mid : 0)
                    + (2 * outPixels * mid)
                    + (outPixels * layer.OutputChannels * (layer.IdSkip ? 2 : 1));
                var kernels = (hasExpand ? 1 : 0) + 2 + (layer.Se ? 3 : 0) + (layer.IdSkip ? 1 : 0);
                return new LayerCost(expandMacs + projectMacs + seMacs, depthwiseMacs, activations, layer.Params, kernels);
            }

            case OfaLayerKind.AvgPool:
                return new LayerCost(0, 0, (inPixels * layer.InputChannels) + layer.OutputChannels, 0, 1);
            default:
                return new LayerCost(layer.Macs, 0, (inPixels * layer.InputChannels) + (outPixels * layer.OutputChannels), layer.Params, 1);
        }
    }
}
