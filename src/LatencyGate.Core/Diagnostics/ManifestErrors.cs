namespace LatencyGate.Diagnostics;

/// <summary>Diagnostic codes of the manifest (LG0400–LG0499), documented in docs/diagnostics.md.</summary>
internal static class ManifestErrors
{
    /// <summary>YAML syntax error, a second document, an undefined alias, or a document too large.</summary>
    public const string YamlSyntax = "LG0400";

    /// <summary>Unknown key (with a did-you-mean when one is close).</summary>
    public const string UnknownKey = "LG0401";

    /// <summary>A value of the wrong type (a list where a number was expected, and so on).</summary>
    public const string WrongType = "LG0402";

    /// <summary>A required key is missing.</summary>
    public const string MissingKey = "LG0403";

    /// <summary>Two devices with the same name.</summary>
    public const string DuplicateDevice = "LG0404";

    /// <summary>A file or folder named in the manifest does not exist.</summary>
    public const string PathNotFound = "LG0405";

    /// <summary>A number outside its range: budget ≤ 0, confidence outside (0,1), population &lt; 2, …</summary>
    public const string OutOfRange = "LG0406";

    /// <summary>Unsupported manifest version.</summary>
    public const string UnsupportedVersion = "LG0407";

    /// <summary>Unknown search space.</summary>
    public const string UnknownSpace = "LG0408";

    /// <summary>A value not among the allowed choices (strategy, search mode, report format, hardware kind, …).</summary>
    public const string UnknownChoice = "LG0409";

    /// <summary>A device with no predictor source, or with more than one.</summary>
    public const string PredictorSourceCount = "LG0410";

    /// <summary>A proxy source naming an unknown device, itself, or forming a cycle.</summary>
    public const string BadProxyReference = "LG0411";

    /// <summary>Neither a shipped model nor search settings: nothing to gate.</summary>
    public const string NothingToGate = "LG0412";

    /// <summary>The manifest file itself cannot be read.</summary>
    public const string ManifestUnreadable = "LG0413";

    /// <summary>A generalized predictor without the hardware specs it needs.</summary>
    public const string MissingHardware = "LG0414";

    /// <summary>The manifest lists no device.</summary>
    public const string NoDevices = "LG0415";

    /// <summary>The same key twice in one mapping.</summary>
    public const string DuplicateKey = "LG0416";

    /// <summary>A resolution the space does not have.</summary>
    public const string BadResolution = "LG0418";

    /// <summary>`init` would overwrite an existing file (use --force).</summary>
    public const string WouldOverwrite = "LG0419";

    /// <summary>`outputs.formats` is an empty list: no report would be written.</summary>
    public const string NoReportFormat = "LG0434";

    /// <summary>A base or predictor file made for another search space (a load-time check, see Manifest.IManifestCheck).</summary>
    public const string SpaceMismatch = "LG0430";

    /// <summary>A measurements file with bad rows (a load-time check, see Manifest.IManifestCheck).</summary>
    public const string BadMeasurements = "LG0431";

    /// <summary>A predictor, arch or lookup-table file that exists but cannot be loaded (a load-time check).</summary>
    public const string UnloadableFile = "LG0432";
}
