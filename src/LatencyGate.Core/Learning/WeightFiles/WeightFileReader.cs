using LatencyGate.Diagnostics;
using LatencyGate.Files;

namespace LatencyGate.Learning.WeightFiles;

/// <summary>
/// One call for any weights file: sniffs safetensors, PyTorch zip or legacy PyTorch pickle from the first
/// bytes (not the extension) and returns the tensors, with the safetensors metadata when there is some.
/// </summary>
internal static class WeightFileReader
{
    public static WeightFile Read(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var prefix = new byte[16];
        long length;
        try
        {
            if (!File.Exists(path))
            {
                throw WeightFileError.At(path, WeightFileCodes.Unreadable, Directory.Exists(path)
                    ? "a folder, not a weights file: expected a safetensors file or a PyTorch checkpoint (.pth)"
                    : "weights file not found: expected a safetensors file or a PyTorch checkpoint (.pth) at this path");
            }

            // Refuses FIFOs (which would block) and endless devices before anything is read.
            BoundedFile.Probe(path, Array.MaxLength, WeightFileCodes.Unreadable, "the weights file");
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
            length = stream.Length;
            prefix = prefix[..stream.ReadAtLeast(prefix, prefix.Length, throwOnEndOfStream: false)];
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw WeightFileError.At(path, WeightFileCodes.Unreadable, "Cannot read the weights file: " + e.Message);
        }

        if (prefix.Length >= 4 && prefix[0] == 'P' && prefix[1] == 'K' && prefix[2] == 3 && prefix[3] == 4)
        {
            return TorchZipReader.Read(path);
        }

        if (TorchLegacyReader.LooksLike(prefix))
        {
            return TorchLegacyReader.Read(path);
        }

        if (SafetensorsFile.LooksLike(prefix, length))
        {
            return SafetensorsFile.Read(path);
        }

        throw WeightFileError.At(path, WeightFileCodes.UnknownFormat,
            "Unknown weights format: expected safetensors (8-byte length then a JSON header), a PyTorch zip checkpoint (.pt) or a legacy PyTorch pickle (.pth).");
    }
}
