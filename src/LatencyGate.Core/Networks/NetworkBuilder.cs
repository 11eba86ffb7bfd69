namespace LatencyGate.Networks;

/// <summary>Appends nodes with their shapes inferred on the way, so a built network is consistent by construction.</summary>
internal sealed class NetworkBuilder
{
    private readonly List<NetworkNode> _nodes = [];

    public NetworkBuilder(FeatureShape input) =>
        _nodes.Add(new NetworkNode(0, "input", new InputOp(input), [], input, -1));

    /// <summary>The layer that nodes added from now on belong to.</summary>
    public int Layer { get; set; } = -1;

    public int Add(string name, NetworkOp op, params int[] inputs)
    {
        if (inputs.Length != op.Arity || inputs.Any(i => i < 0 || i >= _nodes.Count))
        {
            throw new InvalidOperationException($"{name}: {op.GetType().Name} takes {op.Arity} earlier nodes.");
        }

        var shape = op.InferShape([.. inputs.Select(i => _nodes[i].Shape)]);
        _nodes.Add(new NetworkNode(_nodes.Count, name, op, inputs, shape, Layer));
        return _nodes.Count - 1;
    }

    public FeatureShape ShapeOf(int node) => _nodes[node].Shape;

    public Network Build(string name) => new(name, _nodes.ToArray());
}
