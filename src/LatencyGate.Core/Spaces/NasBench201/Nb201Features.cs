namespace LatencyGate.Spaces.NasBench201;

/// <summary>Encodings of a cell for latency models; every vector's layout is named by the matching <c>…Names</c> list.</summary>
internal static class Nb201Features
{
    private static readonly Nb201Op[] RealOps = [Nb201Op.SkipConnect, Nb201Op.Conv1x1, Nb201Op.Conv3x3, Nb201Op.AvgPool3x3];

    /// <summary>Names of <see cref="OneHot"/>: edge-major, op-minor (the OneProxy 30-column layout without its bias).</summary>
    public static IReadOnlyList<string> OneHotNames { get; } =
        [.. Enumerable.Range(0, Nb201Cell.EdgeCount).SelectMany(e => Nb201Cell.OpNames.Select(op => $"e{e}_{op}"))];

    /// <summary>Names of <see cref="Additive"/>: how many edges carry each op.</summary>
    public static IReadOnlyList<string> AdditiveNames { get; } = [.. Nb201Cell.OpNames.Select(op => $"count_{op}")];

    /// <summary>Names of <see cref="Structural"/>.</summary>
    public static IReadOnlyList<string> StructuralNames { get; } = BuildStructuralNames();

    /// <summary>
    /// Per entry of <see cref="Structural"/>: whether it describes one edge position (the 30 one-hot
    /// and 24 live one-hot entries) rather than the cell as a whole. Models penalize positional
    /// entries harder, as 20 shots cannot pin down 54 position weights.
    /// </summary>
    public static IReadOnlyList<bool> StructuralIsPositional { get; } =
        [.. StructuralNames.Select(n => n.StartsWith('e') || n.StartsWith("live_e", StringComparison.Ordinal))];

    /// <summary>
    /// Penalty tier of each entry of <see cref="Structural"/>: 0 for op counts (all edges and live
    /// edges), 1 for the rest of the cell-level structure, 2 for per-position entries.
    /// </summary>
    public static IReadOnlyList<int> StructuralTier { get; } =
        [.. StructuralNames.Select((n, j) => StructuralIsPositional[j] ? 2 : n.StartsWith("count_", StringComparison.Ordinal) || n.StartsWith("live_count_", StringComparison.Ordinal) ? 0 : 1)];

    /// <summary>One-hot per edge (30 values): the additive per-operator model's input.</summary>
    public static double[] OneHot(Nb201Cell cell)
    {
        ArgumentNullException.ThrowIfNull(cell);
        var x = new double[Nb201Cell.EdgeCount * Nb201Cell.OpCount];
        for (var e = 0; e < Nb201Cell.EdgeCount; e++)
        {
            x[(e * Nb201Cell.OpCount) + (int)cell[e]] = 1;
        }

        return x;
    }

    /// <summary>Per-op counts over the six edges (5 values), position ignored.</summary>
    public static double[] Additive(Nb201Cell cell)
    {
        ArgumentNullException.ThrowIfNull(cell);
        var x = new double[Nb201Cell.OpCount];
        foreach (var op in cell.Ops)
        {
            x[op]++;
        }

        return x;
    }

    /// <summary>
    /// The structure of the live graph: one-hot and counts of the ops on live edges, dead op counts,
    /// connectivity, path indicators and lengths, chain depth of convolutions, fan-in/out, additions,
    /// and a few products of the conv counts (latency grows super-additively on some devices).
    /// Also includes the plain one-hot so one vector serves every model.
    /// </summary>
    public static double[] Structural(Nb201Cell cell)
    {
        var s = new Nb201Structure(cell);
        var x = new List<double>(StructuralNames.Count);
        x.AddRange(OneHot(cell));
        for (var e = 0; e < Nb201Cell.EdgeCount; e++)
        {
            foreach (var op in RealOps)
            {
                x.Add(s.LiveEdges[e] && cell[e] == op ? 1 : 0);
            }
        }

        foreach (var op in RealOps)
        {
            x.Add(s.LiveCount(op));
        }

        foreach (var op in RealOps)
        {
            x.Add(s.Count(op) - s.LiveCount(op));
        }

        x.Add(s.Count(Nb201Op.None));
        foreach (var op in RealOps)
        {
            x.Add(s.Count(op));
        }

        x.Add(s.IsConnected ? 1 : 0);
        foreach (var path in Nb201Structure.Paths)
        {
            x.Add(s.LivePaths.Contains(path) ? 1 : 0);
        }

        x.Add(s.LivePaths.Count);
        x.Add(s.LongestPath);
        x.Add(s.ShortestPath);
        x.Add(s.MaxConvsOnPath);
        x.Add(s.MaxOnPath(Nb201Op.Conv3x3));
        x.Add(s.MaxOnPath(Nb201Op.Conv1x1));
        x.Add(s.MaxOnPath(Nb201Op.AvgPool3x3));
        for (var n = 1; n < Nb201Cell.NodeCount; n++)
        {
            x.Add(s.FanIn[n]);
        }

        for (var n = 0; n < Nb201Cell.NodeCount - 1; n++)
        {
            x.Add(s.FanOut[n]);
        }

        x.Add(s.Additions);
        x.Add(s.LiveIntermediateNodes);
        var c3 = s.LiveCount(Nb201Op.Conv3x3);
        var c1 = s.LiveCount(Nb201Op.Conv1x1);
        var pool = s.LiveCount(Nb201Op.AvgPool3x3);
        x.Add(c3 * c3);
        x.Add(c3 * c1);
        x.Add(c1 * c1);
        x.Add(c3 * pool);
        return [.. x];
    }

    private static List<string> BuildStructuralNames()
    {
        var names = new List<string>(OneHotNames);
        for (var e = 0; e < Nb201Cell.EdgeCount; e++)
        {
            names.AddRange(RealOps.Select(op => $"live_e{e}_{Nb201Cell.OpNames[(int)op]}"));
        }

        names.AddRange(RealOps.Select(op => $"live_count_{Nb201Cell.OpNames[(int)op]}"));
        names.AddRange(RealOps.Select(op => $"dead_count_{Nb201Cell.OpNames[(int)op]}"));
        names.Add("count_none");
        names.AddRange(RealOps.Select(op => $"count_{Nb201Cell.OpNames[(int)op]}"));
        names.Add("connected");
        names.AddRange(Nb201Structure.Paths.Select(p => "path_" + string.Join("_", p)));
        names.AddRange(["live_paths", "longest_path", "shortest_path", "max_convs_on_path", "max_conv3x3_on_path", "max_conv1x1_on_path", "max_pool_on_path"]);
        names.AddRange(["fan_in_1", "fan_in_2", "fan_in_3", "fan_out_0", "fan_out_1", "fan_out_2", "additions", "live_intermediate_nodes"]);
        names.AddRange(["c3_sq", "c3_c1", "c1_sq", "c3_pool"]);
        return names;
    }
}
