using LatencyGate.Diagnostics;

namespace LatencyGate.Manifest;

/// <summary>
/// Entry point for hosts: reads a manifest file, validates it completely (every problem in one run),
/// then runs the load-time checks (<see cref="IManifestCheck"/>) into the same diagnostics.
/// </summary>
internal static class ManifestLoader
{
    /// <summary>Loads <paramref name="path"/>; locations in diagnostics use the path as given.</summary>
    public static ManifestLoadResult Load(string path, IEnumerable<IManifestCheck>? checks = null)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            var message = File.Exists(path) || Directory.Exists(path)
                ? $"cannot read the manifest: {ex.Message}"
                : $"manifest not found: {Path.GetFullPath(path)} (create one with 'dotnet latency-gate init')";
            return new(null, [Diagnostic.Error(ManifestErrors.ManifestUnreadable, message, new SourceLocation(path))]);
        }

        return LoadText(text, path, checks);
    }

    /// <summary>Loads manifest text as if read from <paramref name="path"/> (relative paths resolve against its folder).</summary>
    public static ManifestLoadResult LoadText(string text, string path, IEnumerable<IManifestCheck>? checks = null)
    {
        var bag = new DiagnosticBag();
        var manifest = new ManifestParser(path, bag).Parse(text);
        if (manifest is null || bag.HasErrors)
        {
            return new(null, bag.Items.ToArray());
        }

        foreach (var check in checks ?? [])
        {
            try
            {
                check.Check(manifest, bag);
            }
            catch (LatencyGateException ex)
            {
                foreach (var d in ex.Diagnostics)
                {
                    bag.Add(d);
                }
            }
        }

        return new(bag.HasErrors ? null : manifest, bag.Items.ToArray());
    }
}
