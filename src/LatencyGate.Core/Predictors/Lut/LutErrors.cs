namespace LatencyGate.Predictors.Lut;

/// <summary>Diagnostic codes for lookup tables (LG0020–LG0039, see docs/diagnostics.md).</summary>
internal static class LutErrors
{
    /// <summary>The lookup-table folder does not exist.</summary>
    public const string FolderMissing = "LG0020";

    /// <summary>The folder holds no <c>{r}_lookup_table.yaml</c> / <c>.json</c> file.</summary>
    public const string NoTables = "LG0021";

    /// <summary>A table that is not valid YAML/JSON (for example truncated), or not a mapping of entries.</summary>
    public const string InvalidTable = "LG0022";

    /// <summary>A table has no entry for a layer the arch needs.</summary>
    public const string MissingKey = "LG0023";

    /// <summary>No table for the arch's resolution (and interpolation was not asked for).</summary>
    public const string NoTableForResolution = "LG0024";

    /// <summary>An entry without a numeric <c>mean</c>.</summary>
    public const string InvalidEntry = "LG0025";

    /// <summary>Two tables for the same resolution (e.g. both .yaml and .json).</summary>
    public const string DuplicateResolution = "LG0026";

    /// <summary>A table file that cannot be read.</summary>
    public const string Unreadable = "LG0027";

    /// <summary>A lookup-table folder cannot be written (export of a learned or simulated table).</summary>
    public const string WriteFailed = "LG0028";

    /// <summary>Lookup tables of the other OFA width than the space asked for (their first conv has another shape).</summary>
    public const string WrongSpace = "LG0029";
}
