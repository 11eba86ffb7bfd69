namespace LatencyGate.Tests;

/// <summary>A temporary folder, optionally seeded with a copy of a repository folder; deleted on dispose.</summary>
internal sealed class TempFolder : IDisposable
{
    public TempFolder(string? copyOfRepositoryFolder = null)
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "lg-cli-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path);
        if (copyOfRepositoryFolder is not null)
        {
            Copy(System.IO.Path.Combine(ReferenceData.RepositoryRoot, copyOfRepositoryFolder), Path);
        }
    }

    public string Path { get; }

    public string File(string relative) => System.IO.Path.Combine(Path, relative);

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // A report still open on a slow file system is not worth failing a test over.
        }
    }

    private static void Copy(string from, string to)
    {
        foreach (var dir in Directory.EnumerateDirectories(from, "*", SearchOption.AllDirectories))
        {
            var name = System.IO.Path.GetRelativePath(from, dir);
            if (!name.StartsWith("latency-gate-reports", StringComparison.Ordinal) && !name.StartsWith(".latency-gate", StringComparison.Ordinal))
            {
                Directory.CreateDirectory(System.IO.Path.Combine(to, name));
            }
        }

        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var name = System.IO.Path.GetRelativePath(from, file);
            if (!name.StartsWith("latency-gate-reports", StringComparison.Ordinal) && !name.StartsWith(".latency-gate", StringComparison.Ordinal))
            {
                System.IO.File.Copy(file, System.IO.Path.Combine(to, name));
            }
        }
    }
}
