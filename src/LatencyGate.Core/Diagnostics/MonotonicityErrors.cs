namespace LatencyGate.Diagnostics;

/// <summary>Diagnostic codes LG0700–LG0799: NAS-Bench-201 and FBNet spaces, monotonicity analysis (docs/diagnostics.md).</summary>
internal static class MonotonicityErrors
{
    /// <summary>Text that is not a NAS-Bench-201 cell string.</summary>
    public const string BadNb201Arch = "LG0700";

    /// <summary>A NAS-Bench-201 index outside 0..15624.</summary>
    public const string Nb201IndexOutOfRange = "LG0701";

    /// <summary>Text that is not an FBNet arch (22 op names or indices).</summary>
    public const string BadFbNetArch = "LG0710";

    /// <summary>An FBNet index outside 0..9^22-1.</summary>
    public const string FbNetIndexOutOfRange = "LG0711";

    /// <summary>The measurements CSV cannot be read or has no data rows.</summary>
    public const string BadCsv = "LG0720";

    /// <summary>A requested column is not in the CSV header.</summary>
    public const string MissingColumn = "LG0721";

    /// <summary>A latency cell is not a number.</summary>
    public const string BadNumber = "LG0722";

    /// <summary>Fewer than two device columns, or too few rows to rank.</summary>
    public const string TooLittleData = "LG0723";

    /// <summary>An option value outside its range (threshold, bootstrap count).</summary>
    public const string BadOption = "LG0724";

    /// <summary>An arch cell in the CSV that no supported space parses.</summary>
    public const string BadArchCell = "LG0725";

    /// <summary><c>sample</c> with neither --space nor --data, --columns without --data, or --data with --space.</summary>
    public const string BadSampleOptions = "LG0726";

    /// <summary><c>fit --space fbnet|nasbench201</c> without one sources CSV and --columns, another --strategy, --columns elsewhere, or archs of another space.</summary>
    public const string BadTransferFit = "LG0727";

    /// <summary>A <c>--columns</c> list naming one column twice.</summary>
    public const string RepeatedColumn = "LG0728";
}
