namespace LatencyGate.Diagnostics;

/// <summary>Codes of the multi-source transfer path (source-prior bases): LG0740–LG0749.</summary>
internal static class TransferErrors
{
    /// <summary>Strategy source-prior with a base that is not a source prior, or a source-prior base among other bases.</summary>
    public const string SourcePriorOnly = "LG0740";

    /// <summary>A source-prior predictor file that is unreadable or made for another space.</summary>
    public const string BadSourcePriorFile = "LG0741";

    /// <summary><c>fit --data CSV --columns …</c> (a source-prior base) with options that do not fit it, or sources with too few measurements.</summary>
    public const string BadSourcePriorFit = "LG0742";

    /// <summary><c>sample --base PRIOR</c> with --data/--columns, without --space, with a base that is not a source prior, or a --count above the candidates.</summary>
    public const string BadSampleBase = "LG0743";
}
