
namespace LatencyGate.Tests.EndToEnd;

/// <summary>
/// Packs src/LatencyGate.MSBuild once for all end-to-end tests into a temp feed, with a fresh
/// NUGET_PACKAGES folder so that no stale copy of the same version is ever restored.
/// </summary>
public sealed class PackageFixture : IDisposable
{
#if DEBUG
    private const string Configuration = "Debug";
#else
    private const string Configuration = "Release";
#endif

    private static readonly TimeSpan BuildTimeout = TimeSpan.FromMinutes(5);
    private readonly TempDirectory _root = new("lg-e2e");
    private readonly Lazy<string> _package;

    public PackageFixture() => _package = new(Pack, LazyThreadSafetyMode.ExecutionAndPublication);

    public string Root => _root.Path;

    public string Feed => _root.Combine("feed");

    public string PackagesFolder => _root.Combine("packages");

    /// <summary>The .nupkg (packed on first use; a pack failure fails the test that asked).</summary>
    public string Package => _package.Value;

    public static string RepositoryRoot => ReferenceData.RepositoryRoot;

    public void Dispose() => _root.Dispose();

    /// <summary>
    /// A copy of examples/GatedApp (with its bundled synthetic tables and measurements) under
    /// <paramref name="name"/>, restoring LatencyGate.MSBuild from the temp feed only.
    /// </summary>
    public string CopyExample(string name)
    {
        _ = Package;
        var source = Path.Combine(RepositoryRoot, "examples", "GatedApp");
        var target = _root.Combine("apps", name);
        Directory.CreateDirectory(target);
        foreach (var file in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(source, file);
            // Leftovers of a build or a gate run by hand in the example folder are not the example.
            if (relative is "nuget.config" || relative.Split(Path.DirectorySeparatorChar)[0] is "bin" or "obj" or ".latency-gate" or "latency-gate-reports")
            {
                continue;
            }

            var destination = Path.Combine(target, relative);
            Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
            File.Copy(file, destination);
        }

        File.WriteAllText(Path.Combine(target, "nuget.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <clear />
                <add key="latency-gate-e2e" value="{Feed}" />
              </packageSources>
            </configuration>
            """);
        return target;
    }

    /// <summary>Runs <c>dotnet ARGS</c> in <paramref name="workingDirectory"/>, bounded in time.</summary>
    public BuildResult Dotnet(string workingDirectory, params string[] args)
    {
        // A child build must find its own SDK and never keep a node (holding the task assembly) alive after it.
        var result = ChildProcess.Run("dotnet", workingDirectory, args, new Dictionary<string, string> { ["NUGET_PACKAGES"] = PackagesFolder }, BuildTimeout);
        return new BuildResult(result.ExitCode, result.Output, string.Join(' ', args));
    }

    /// <summary><c>dotnet build</c> without build servers, at normal verbosity (target skips are visible).</summary>
    public BuildResult Build(string workingDirectory, params string[] extra) =>
        Dotnet(workingDirectory, ["build", "--disable-build-servers", "-nodeReuse:false", "-v:n", "-nologo", .. extra]);

    private string Pack()
    {
        // --no-build: the test project's own build already built the task (a ProjectReference)
        // in this configuration; the props/targets are taken from source as they are.
        var result = Dotnet(
            RepositoryRoot,
            "pack", Path.Combine("src", "LatencyGate.MSBuild", "LatencyGate.MSBuild.csproj"),
            "-c", Configuration, "--no-build", "-o", Feed, "-nologo", "-nodeReuse:false");
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException($"dotnet pack failed ({result.ExitCode}):\n{result.Output}");
        }

        return Directory.EnumerateFiles(Feed, "LatencyGate.MSBuild.*.nupkg").Single();
    }
}

public sealed record BuildResult(int ExitCode, string Output, string CommandLine)
{
    // The compiler's command line alone is tens of kilobytes: cut long lines in failure messages.
    public override string ToString() =>
        $"dotnet {CommandLine} → exit {ExitCode}\n" + string.Join('\n', Output.Split('\n').Select(l => l.Length > 400 ? l[..400] + " …" : l));
}
