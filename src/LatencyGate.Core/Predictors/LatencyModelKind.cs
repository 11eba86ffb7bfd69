namespace LatencyGate.Predictors;

/// <summary>What a learned latency predictor is made of.</summary>
internal enum LatencyModelKind
{
    /// <summary>An MLP over the 128-d one-hot encoding (the seed paper's model).</summary>
    Mlp,

    /// <summary>The structured per-layer additive model alone.</summary>
    Additive,

    /// <summary>The additive model plus an MLP that predicts its residual from the one-hot encoding and the additive estimate.</summary>
    AdditiveMlp,
}

internal static class LatencyModelKinds
{
    public static string Name(this LatencyModelKind kind) => kind switch
    {
        LatencyModelKind.Mlp => "mlp",
        LatencyModelKind.Additive => "additive",
        LatencyModelKind.AdditiveMlp => "additive+mlp",
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    public static bool TryParse(string name, out LatencyModelKind kind)
    {
        foreach (var k in Enum.GetValues<LatencyModelKind>())
        {
            if (k.Name() == name)
            {
                kind = k;
                return true;
            }
        }

        kind = LatencyModelKind.Mlp;
        return false;
    }
}
