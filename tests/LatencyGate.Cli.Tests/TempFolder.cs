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
            ExampleCopy.Copy(System.IO.Path.Combine(ReferenceData.RepositoryRoot, copyOfRepositoryFolder), Path);
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
}
