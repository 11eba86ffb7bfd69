namespace LatencyGate.Networks;

/// <summary>
/// One node of a <see cref="Network"/>: its op, the nodes it reads (by index, always earlier
/// nodes), its inferred output shape, a name after OFA's PyTorch module path (e.g.
/// <c>blocks.3.conv.depth_conv.conv</c>) and the index of the <see cref="Spaces.OfaLayer"/> it
/// belongs to (-1 for the input).
/// </summary>
internal sealed record NetworkNode(int Index, string Name, NetworkOp Op, IReadOnlyList<int> Inputs, FeatureShape Shape, int Layer)
{
    public long Macs => Op.Macs(Shape);

    public long Params => Op.Params;
}
