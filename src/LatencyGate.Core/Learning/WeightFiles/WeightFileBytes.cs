using System.Globalization;
using LatencyGate.Files;

namespace LatencyGate.Learning.WeightFiles;

internal static class WeightFileBytes
{
    /// <summary>Reads a whole weights file, turning I/O failures into LG0100 naming the file.</summary>
    public static byte[] ReadAll(string path)
    {
        return BoundedFile.ReadAllBytes(path, Array.MaxLength, WeightFileCodes.Unreadable, "the weights file");
    }
}
