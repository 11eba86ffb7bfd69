namespace LatencyGate.Diagnostics;

/// <summary>Diagnostic codes of the weight-file readers and writers (LG0100–LG0149, docs/diagnostics.md).</summary>
internal static class WeightFileCodes
{
    public const string Unreadable = "LG0100";
    public const string UnknownFormat = "LG0101";
    public const string SafetensorsHeaderLength = "LG0102";
    public const string SafetensorsHeaderJson = "LG0103";
    public const string SafetensorsTensorEntry = "LG0104";
    public const string NotAPredictorFile = "LG0105";
    public const string UnsupportedPredictorVersion = "LG0106";
    public const string PredictorMetadata = "LG0107";
    public const string DuplicateTensorName = "LG0108";
    public const string PickleGlobalRefused = "LG0110";
    public const string PickleOpcodeUnsupported = "LG0111";
    public const string PickleMalformed = "LG0112";
    public const string ZipUnsafeEntry = "LG0113";
    public const string ZipMalformed = "LG0114";
    public const string TensorOverrunsStorage = "LG0115";
    public const string UnsupportedTensorType = "LG0116";
    public const string NoStateDict = "LG0117";
    public const string LegacyMalformed = "LG0118";
}
