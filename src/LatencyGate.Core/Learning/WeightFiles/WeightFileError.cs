using LatencyGate.Diagnostics;

namespace LatencyGate.Learning.WeightFiles;

internal static class WeightFileError
{
    /// <summary>An LG error located at the weight file, so the user sees which file was refused.</summary>
    public static LatencyGateException At(string path, string code, string message) =>
        new(code, message, new SourceLocation(path));
}
