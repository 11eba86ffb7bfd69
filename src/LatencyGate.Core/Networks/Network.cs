namespace LatencyGate.Networks;

/// <summary>
/// A runtime-neutral description of one concrete network: nodes in topological order, node 0 the
/// input, the last node the output, every shape inferred. Runtimes (ONNX export, TorchSharp) build
/// their own graph from it; MACs and parameters are counted from its ops, so a runtime that maps
/// op for op has the same counts.
/// </summary>
internal sealed class Network
{
    internal Network(string name, IReadOnlyList<NetworkNode> nodes)
    {
        Name = name;
        Nodes = nodes;
    }

    /// <summary>What it is, e.g. <c>ofa-mbv3-w1.2 r224 …</c> (the space and canonical arch key).</summary>
    public string Name { get; }

    public IReadOnlyList<NetworkNode> Nodes { get; }

    public NetworkNode Input => Nodes[0];

    public NetworkNode Output => Nodes[^1];

    public long Macs => Nodes.Sum(n => n.Macs);

    public long Params => Nodes.Sum(n => n.Params);
}
