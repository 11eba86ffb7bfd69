using LatencyGate.Files;

namespace LatencyGate.Learning.WeightFiles;

internal static class AtomicFile
{
    /// <summary>
    /// Writes through a temporary file in the target folder and moves it into place, so a reader never
    /// sees a half-written weights file and a failed write leaves the old file intact. A path that
    /// cannot be written is LG0045.
    /// </summary>
    public static void Write(string path, Action<Stream> write) => OutputFile.Write(path, write, "the weights file");
}
