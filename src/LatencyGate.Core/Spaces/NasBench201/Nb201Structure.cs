namespace LatencyGate.Spaces.NasBench201;

/// <summary>
/// The cell's graph once <c>none</c> edges are cut: which nodes are reachable from the input, which
/// reach the output, and which edges lie on a live input→output path. Ops off every live path
/// still run in the reference PyTorch code, but compilers (TensorRT, OpenVINO, TFLite) drop them,
/// which is why devices disagree about such cells and why these facts predict latency.
/// </summary>
internal sealed class Nb201Structure
{
    /// <summary>The four input→output routes of the DAG, as edge indices.</summary>
    public static readonly IReadOnlyList<int[]> Paths = [[3], [0, 4], [1, 5], [0, 2, 5]];

    public Nb201Structure(Nb201Cell cell)
    {
        ArgumentNullException.ThrowIfNull(cell);
        Cell = cell;
        var forward = new bool[Nb201Cell.NodeCount];
        var backward = new bool[Nb201Cell.NodeCount];
        forward[0] = true;
        for (var e = 0; e < Nb201Cell.EdgeCount; e++)
        {
            var (to, from) = Nb201Cell.Edges[e];
            if (cell[e] != Nb201Op.None && forward[from])
            {
                forward[to] = true;
            }
        }

        backward[3] = true;
        for (var e = Nb201Cell.EdgeCount - 1; e >= 0; e--)
        {
            var (to, from) = Nb201Cell.Edges[e];
            if (cell[e] != Nb201Op.None && backward[to])
            {
                backward[from] = true;
            }
        }

        var live = new bool[Nb201Cell.EdgeCount];
        var fanIn = new int[Nb201Cell.NodeCount];
        var fanOut = new int[Nb201Cell.NodeCount];
        for (var e = 0; e < Nb201Cell.EdgeCount; e++)
        {
            var (to, from) = Nb201Cell.Edges[e];
            live[e] = cell[e] != Nb201Op.None && forward[from] && backward[to];
            if (live[e])
            {
                fanIn[to]++;
                fanOut[from]++;
            }
        }

        LiveEdges = live;
        FanIn = fanIn;
        FanOut = fanOut;
        IsConnected = forward[3];
        var livePaths = new List<int[]>();
        foreach (var path in Paths)
        {
            if (path.All(e => cell[e] != Nb201Op.None))
            {
                livePaths.Add(path);
            }
        }

        LivePaths = livePaths;
    }

    public Nb201Cell Cell { get; }

    /// <summary>Whether the output is reachable from the input at all (otherwise the cell emits zeros).</summary>
    public bool IsConnected { get; }

    /// <summary>Per edge: not <c>none</c> and on some input→output path of non-<c>none</c> edges.</summary>
    public IReadOnlyList<bool> LiveEdges { get; }

    /// <summary>Live inputs per node.</summary>
    public IReadOnlyList<int> FanIn { get; }

    /// <summary>Live outputs per node.</summary>
    public IReadOnlyList<int> FanOut { get; }

    /// <summary>The input→output routes whose edges are all not <c>none</c>.</summary>
    public IReadOnlyList<int[]> LivePaths { get; }

    public int LiveCount(Nb201Op op)
    {
        var n = 0;
        for (var e = 0; e < Nb201Cell.EdgeCount; e++)
        {
            if (LiveEdges[e] && Cell[e] == op)
            {
                n++;
            }
        }

        return n;
    }

    public int Count(Nb201Op op)
    {
        var n = 0;
        for (var e = 0; e < Nb201Cell.EdgeCount; e++)
        {
            if (Cell[e] == op)
            {
                n++;
            }
        }

        return n;
    }

    /// <summary>The largest number of <paramref name="op"/> edges on one live path (the sequential chain a device must wait for).</summary>
    public int MaxOnPath(Nb201Op op) => LivePaths.Count == 0 ? 0 : LivePaths.Max(p => p.Count(e => Cell[e] == op));

    /// <summary>The largest number of convolutions on one live path.</summary>
    public int MaxConvsOnPath => LivePaths.Count == 0 ? 0 : LivePaths.Max(p => p.Count(e => Cell[e] is Nb201Op.Conv1x1 or Nb201Op.Conv3x3));

    public int LongestPath => LivePaths.Count == 0 ? 0 : LivePaths.Max(p => p.Length);

    public int ShortestPath => LivePaths.Count == 0 ? 0 : LivePaths.Min(p => p.Length);

    /// <summary>Element-wise additions the live graph needs (a node summing k inputs adds k-1 times).</summary>
    public int Additions => FanIn.Sum(f => Math.Max(0, f - 1));

    /// <summary>Intermediate nodes (1, 2) that lie on a live path.</summary>
    public int LiveIntermediateNodes => (FanIn[1] > 0 && FanOut[1] > 0 ? 1 : 0) + (FanIn[2] > 0 && FanOut[2] > 0 ? 1 : 0);
}
