namespace LatencyGate.Diagnostics;

/// <summary>Diagnostic codes for archs and spaces (LG0001–LG0019, see docs/diagnostics.md).</summary>
internal static class ArchErrors
{
    /// <summary>A value outside the space (kernel size, expand ratio, depth or resolution).</summary>
    public const string InvalidValue = "LG0001";

    /// <summary>A list with the wrong number of entries.</summary>
    public const string WrongLength = "LG0002";

    /// <summary>A required field is missing.</summary>
    public const string MissingField = "LG0003";

    /// <summary>Text that is not an arch in any accepted form (JSON or Python dict literal).</summary>
    public const string Unparseable = "LG0004";

    /// <summary>A space name that does not exist.</summary>
    public const string UnknownSpace = "LG0005";

    /// <summary>Both 'r' and 'image_size' are given and they differ.</summary>
    public const string ConflictingResolution = "LG0006";

    /// <summary>An arch file that cannot be read.</summary>
    public const string ArchFileUnreadable = "LG0007";

    /// <summary>An arch encoding name that does not exist.</summary>
    public const string UnknownEncoding = "LG0008";

    /// <summary>Neither or both of an arch file and inline arch text were given.</summary>
    public const string ArchSourceChoice = "LG0009";
}
