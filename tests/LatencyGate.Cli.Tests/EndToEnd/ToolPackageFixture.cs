using System.Runtime.InteropServices;
using System.Text.RegularExpressions;

namespace LatencyGate.Tests.EndToEnd;

/// <summary>
/// Packs src/LatencyGate.Cli as the <c>LatencyGate.Tool</c> package into a temp feed and installs it
/// with <c>dotnet tool install --tool-path</c>, once for every test of the class; the tests then run
/// the installed <c>dotnet-latency-gate</c> as a user's CI would.
/// </summary>
public sealed partial class ToolPackageFixture : IDisposable
{
#if DEBUG
    private const string Configuration = "Debug";
#else
    private const string Configuration = "Release";
#endif

    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(5);
    private readonly string _root = Path.Combine(Path.GetTempPath(), "lg-tool-e2e-" + Path.GetRandomFileName());
    private readonly Lazy<string> _tool;

    public ToolPackageFixture()
    {
        Directory.CreateDirectory(_root);
        _tool = new(PackAndInstall, LazyThreadSafetyMode.ExecutionAndPublication);
    }

    public string Feed => Path.Combine(_root, "feed");

    public string ToolsFolder => Path.Combine(_root, "tools");

    /// <summary>The installed command (packed and installed on first use; a failure fails the test that asked).</summary>
    public string Tool => _tool.Value;

    /// <summary>What <c>dotnet pack</c> and <c>dotnet tool install</c> printed, for failure messages.</summary>
    public string SetupLog { get; private set; } = string.Empty;

    public static string RepositoryRoot => ReferenceData.RepositoryRoot;

    /// <summary>A copy of examples/fleet (reports and the cache go beside the manifest: never into the repository).</summary>
    public string CopyFleet(string name) =>
        ExampleCopy.Copy(Path.Combine(RepositoryRoot, "examples", "fleet"), Path.Combine(_root, "fleets", name));

    /// <summary>Runs the installed tool with <paramref name="args"/> in <paramref name="workingDirectory"/>.</summary>
    public ProcessResult RunTool(string workingDirectory, params string[] args) => Run(Tool, workingDirectory, args);

    public void Dispose()
    {
        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    private string PackAndInstall()
    {
        // --no-build: the test project's own build already built the CLI (a ProjectReference) in
        // this configuration. A fresh NUGET_PACKAGES: NuGet never re-extracts a version it cached.
        var pack = Run(
            "dotnet",
            RepositoryRoot,
            "pack", Path.Combine("src", "LatencyGate.Cli", "LatencyGate.Cli.csproj"),
            "-c", Configuration, "--no-build", "-p:BuildProjectReferences=false", "-o", Feed, "-nologo", "-nodeReuse:false");
        SetupLog = pack.ToString();
        if (pack.ExitCode != 0)
        {
            throw new InvalidOperationException("dotnet pack failed:\n" + pack);
        }

        var package = Directory.EnumerateFiles(Feed, "LatencyGate.Tool.*.nupkg").Single();
        var version = PackageVersion().Match(Path.GetFileName(package)).Groups["version"].Value;

        // Outside the repository, with a nuget.config naming only the temp feed: the repository's
        // source mapping would send LatencyGate.* to the default source.
        var work = Path.Combine(_root, "install");
        Directory.CreateDirectory(work);
        File.WriteAllText(Path.Combine(work, "nuget.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <clear />
                <add key="latency-gate-tool-e2e" value="{Feed}" />
              </packageSources>
            </configuration>
            """);
        var install = Run("dotnet", work, "tool", "install", "LatencyGate.Tool", "--tool-path", ToolsFolder, "--add-source", Feed, "--version", version);
        SetupLog += "\n" + install;
        if (install.ExitCode != 0)
        {
            throw new InvalidOperationException("dotnet tool install failed:\n" + install);
        }

        var command = Path.Combine(ToolsFolder, OperatingSystem.IsWindows() ? "dotnet-latency-gate.exe" : "dotnet-latency-gate");
        return File.Exists(command) ? command : throw new InvalidOperationException($"{command} was not installed:\n{SetupLog}");
    }

    private ProcessResult Run(string fileName, string workingDirectory, params string[] args) =>
        ChildProcess.Run(
            fileName,
            workingDirectory,
            args,
            new Dictionary<string, string>
            {
                ["NUGET_PACKAGES"] = Path.Combine(_root, "packages"),
                ["CI"] = "true",

                // The tool's launcher finds the runtime through DOTNET_ROOT when the SDK is not in the
                // default location: point it at the runtime running these tests.
                ["DOTNET_ROOT"] = Path.GetFullPath(Path.Combine(RuntimeEnvironment.GetRuntimeDirectory(), "..", "..", "..")),
            },
            Timeout);

    [GeneratedRegex(@"^LatencyGate\.Tool\.(?<version>\d+\.\d+\.\d+.*)\.nupkg$")]
    private static partial Regex PackageVersion();
}
