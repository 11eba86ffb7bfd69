using System.Globalization;
using LatencyGate.Diagnostics;

namespace LatencyGate.Learning.WeightFiles;

internal static class WeightFileBytes
{
    /// <summary>Reads a whole weights file, turning I/O failures into LG0100 naming the file.</summary>
    public static byte[] ReadAll(string path)
    {
        try
        {
            var info = new FileInfo(path);
            if (!info.Exists)
            {
                throw WeightFileError.At(path, WeightFileCodes.Unreadable, "Weights file not found.");
            }

            if (info.Length > Array.MaxLength)
            {
                throw WeightFileError.At(path, WeightFileCodes.Unreadable, string.Create(
                    CultureInfo.InvariantCulture, $"Weights file of {info.Length} bytes is larger than LatencyGate reads."));
            }

            return File.ReadAllBytes(path);
        }
        catch (IOException e)
        {
            throw WeightFileError.At(path, WeightFileCodes.Unreadable, "Cannot read the weights file: " + e.Message);
        }
        catch (UnauthorizedAccessException e)
        {
            throw WeightFileError.At(path, WeightFileCodes.Unreadable, "Cannot read the weights file: " + e.Message);
        }
    }
}
