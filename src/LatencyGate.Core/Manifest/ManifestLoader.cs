using LatencyGate.Diagnostics;
using LatencyGate.Files;

namespace LatencyGate.Manifest;

/// <summary>
/// Entry point for hosts: reads a manifest file, validates it completely (every problem in one run),
/// then runs the load-time checks (<see cref="IManifestCheck"/>) into the same diagnostics.
/// </summary>
internal static class ManifestLoader
{
    /// <summary>A manifest is a page of YAML; anything above this is not one.</summary>
    public const long MaxManifestBytes = 4L << 20;

    /// <summary>
    /// "but there is 'latency-gate.yml': name that file …" when the same name exists
    /// with the other YAML extension (.yaml/.yml); null otherwise.
    /// </summary>
    private static string? OtherExtensionHint(string path)
    {
        var extension = Path.GetExtension(path);
        var other = extension.ToLowerInvariant() switch
        {
            ".yaml" => Path.ChangeExtension(path, ".yml"),
            ".yml" => Path.ChangeExtension(path, ".yaml"),
            _ => null,
        };
        return other is not null && File.Exists(other)
            ? $"but there is '{EchoText.Cut(other)}': name that file (check --manifest {EchoText.Cut(other)}) or rename it to {EchoText.Cut(Path.GetFileName(path))}"
            : null;
    }

    /// <summary>Loads <paramref name="path"/>; locations in diagnostics use the path as given.</summary>
    public static ManifestLoadResult Load(string path, IEnumerable<IManifestCheck>? checks = null)
    {
        string text;
        try
        {
            if (!File.Exists(path) && !Directory.Exists(path))
            {
                return new(null, [Diagnostic.Error(ManifestErrors.ManifestUnreadable, $"manifest not found: {EchoText.Cut(Path.GetFullPath(path))} ({OtherExtensionHint(path) ?? "create one with 'dotnet latency-gate init'"})", new SourceLocation(path))]);
            }

            text = BoundedFile.ReadAllText(path, MaxManifestBytes, ManifestErrors.ManifestUnreadable, "the manifest");
        }
        catch (LatencyGateException ex)
        {
            return new(null, ex.Diagnostics);
        }
        catch (Exception ex) when (ex is ArgumentException or NotSupportedException)
        {
            return new(null, [Diagnostic.Error(ManifestErrors.ManifestUnreadable, $"cannot read the manifest: {ex.Message}", new SourceLocation(path))]);
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
