using LatencyGate.Diagnostics;

namespace LatencyGate.Reporting;

/// <summary>Short titles and descriptions of the codes reports can carry (SARIF rules, annotation titles).</summary>
internal static class RuleCatalog
{
    private static readonly Dictionary<string, (string Name, string Title, string Description)> Rules = new(StringComparer.Ordinal)
    {
        [GateErrors.OverBudget] = ("OverBudget", "over budget", "The predicted latency (the interval's upper bound when a confidence is set) is over the device's budget."),
        [GateErrors.WithinWarnMargin] = ("WithinWarnMargin", "close to budget", "The predicted latency is within the device's budget but inside its warn margin."),
        [GateErrors.NoArchFits] = ("NoArchFits", "no sub-network fits", "Search found no sub-network whose predicted latency fits the device's budget."),
        [GateErrors.BelowAccuracyFloor] = ("BelowAccuracyFloor", "below accuracy floor", "The most accurate sub-network within the budget is below the manifest's accuracy floor."),
        [GateErrors.DeviceError] = ("DeviceError", "device not evaluated", "The device could not be evaluated (its predictor could not be built or loaded)."),
        [GateErrors.ReportWriteFailed] = ("ReportWriteFailed", "report not written", "A report file could not be written."),
        [CacheErrors.CorruptEntry] = ("CorruptCacheEntry", "cache entry rebuilt", "A cached predictor failed its checks and was rebuilt; the result is unaffected."),
        [CacheErrors.Unwritable] = ("CacheUnwritable", "cache not writable", "The cache folder cannot be written; the run continued without caching."),
        [ManifestErrors.YamlSyntax] = ("YamlSyntax", "YAML syntax error", "The manifest is not valid YAML."),
        [ManifestErrors.UnknownKey] = ("UnknownKey", "unknown key", "The manifest has a key this version does not know."),
        [ManifestErrors.WrongType] = ("WrongType", "wrong type", "A manifest value has the wrong type."),
        [ManifestErrors.MissingKey] = ("MissingKey", "missing key", "A required manifest key is missing."),
        [ManifestErrors.DuplicateDevice] = ("DuplicateDevice", "duplicate device", "Two devices share a name."),
        [ManifestErrors.PathNotFound] = ("PathNotFound", "file not found", "A file or folder named in the manifest does not exist."),
        [ManifestErrors.OutOfRange] = ("OutOfRange", "value out of range", "A manifest number is outside its allowed range."),
        [ManifestErrors.UnsupportedVersion] = ("UnsupportedVersion", "unsupported version", "The manifest version is not supported."),
        [ManifestErrors.UnknownSpace] = ("UnknownSpace", "unknown space", "The manifest names an unknown search space."),
        [ManifestErrors.UnknownChoice] = ("UnknownChoice", "unknown choice", "A manifest value is not among the allowed choices."),
        [ManifestErrors.PredictorSourceCount] = ("PredictorSourceCount", "predictor source", "A device must name exactly one predictor source."),
        [ManifestErrors.BadProxyReference] = ("BadProxyReference", "bad proxy", "A proxy source names an unknown device, itself, or a cycle."),
        [ManifestErrors.NothingToGate] = ("NothingToGate", "nothing to gate", "The manifest has neither a shipped model nor search settings."),
        [ManifestErrors.ManifestUnreadable] = ("ManifestUnreadable", "manifest unreadable", "The manifest file cannot be read."),
        [ManifestErrors.MissingHardware] = ("MissingHardware", "missing hardware specs", "A generalized predictor needs the device's hardware specs."),
        [ManifestErrors.NoDevices] = ("NoDevices", "no devices", "The manifest lists no device."),
        [ManifestErrors.DuplicateKey] = ("DuplicateKey", "duplicate key", "The same key appears twice in one mapping."),
        [ManifestErrors.BadResolution] = ("BadResolution", "bad resolution", "A resolution the space does not have."),
        [ManifestErrors.SpaceMismatch] = ("SpaceMismatch", "space mismatch", "A predictor or base made for another search space."),
        [ManifestErrors.BadMeasurements] = ("BadMeasurements", "bad measurements", "A measurements file with bad rows."),
        [ManifestErrors.UnloadableFile] = ("UnloadableFile", "file cannot be loaded", "A predictor, arch or lookup-table file exists but cannot be loaded."),
    };

    public static string Name(string code) => Rules.TryGetValue(code, out var r) ? r.Name : code;

    public static string Title(string code) => Rules.TryGetValue(code, out var r) ? r.Title : "diagnostic";

    public static string Description(string code) => Rules.TryGetValue(code, out var r) ? r.Description : $"LatencyGate diagnostic {code}.";
}
