namespace LatencyGate.Measurements;

/// <summary>
/// The columns in which <c>measure</c> writes the machine and settings behind every row
/// (Measuring.MachineIdentity). A measurements CSV that has them carries them into a predictor
/// fitted from it, so a figure never loses the machine it was measured on.
/// </summary>
internal static class MachineColumns
{
    /// <summary>The column names, in the order <c>measure</c> writes them.</summary>
    public static readonly IReadOnlyList<string> Names = ["cpu_model", "logical_cores", "os", "runtime", "runtime_version", "threads", "batch_size"];

    /// <summary>At most this many distinct machines are recorded for one file (a file of one machine is the rule).</summary>
    public const int MaxRecorded = 8;

    /// <summary>The columns' positions in <paramref name="header"/>, or null unless every one is there.</summary>
    internal static int[]? Find(IReadOnlyList<string> header)
    {
        var at = Names.Select(n => IndexOf(header, n)).ToArray();
        return at.All(i => i >= 0) ? at : null;
    }

    private static int IndexOf(IReadOnlyList<string> header, string name)
    {
        for (var i = 0; i < header.Count; i++)
        {
            if (string.Equals(header[i], name, StringComparison.Ordinal))
            {
                return i;
            }
        }

        return -1;
    }
}
