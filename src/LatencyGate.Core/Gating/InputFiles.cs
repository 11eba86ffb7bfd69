using LatencyGate.Diagnostics;
using LatencyGate.Files;
using LatencyGate.Manifest;

namespace LatencyGate.Gating;

/// <summary>The files a manifest makes the gate read: the inputs of an incremental build and of cache keys.</summary>
internal static class InputFiles
{
    public static IEnumerable<PathRef> Of(LatencyGateManifest manifest)
    {
        if (manifest.ShippedArch is { } arch)
        {
            yield return arch;
        }

        if (manifest.Accuracy.Predictor is { } accuracy)
        {
            yield return accuracy;
        }

        foreach (var device in manifest.Devices)
        {
            foreach (var path in Of(device.Predictor))
            {
                yield return path;
            }
        }
    }

    public static IEnumerable<PathRef> Of(PredictorSource source) => source switch
    {
        LutSource s => [s.Directory],
        FileSource s => [s.File],
        CalibrateSource s => [s.Base, s.Measurements],
        FinetuneSource s => [s.Base, s.Measurements],
        GeneralizedSource s => [s.Predictor],
        ProxySource s => [s.Measurements],
        MeasureSource { Predictor: { } inner } => Of(inner),
        _ => [],
    };

    /// <summary>Full paths, folders expanded to the files under them, sorted and distinct.</summary>
    public static IReadOnlyList<string> Expand(string manifestPath, IEnumerable<PathRef> paths)
    {
        var files = new SortedSet<string>(StringComparer.Ordinal) { Path.GetFullPath(manifestPath) };
        foreach (var path in paths)
        {
            if (path.IsBuiltin || path.IsArchKey)
            {
                continue;
            }

            if (Directory.Exists(path.FullPath))
            {
                foreach (var file in FolderWalk.Files(path.FullPath, InputErrors.FolderUnwalkable, path.Location))
                {
                    files.Add(file);
                }
            }
            else
            {
                files.Add(path.FullPath);
            }
        }

        return [.. files];
    }
}
