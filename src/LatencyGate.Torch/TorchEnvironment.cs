namespace LatencyGate.Torch;

/// <summary>
/// What the host tells the libtorch locator about this machine (the library reads no environment
/// variables itself): the LATENCYGATE_LIBTORCH value, the NuGet package folder, the Python
/// site-packages folders to look for a PyTorch install in, the folder of TorchSharp's assembly, and
/// the cache folder where a patched copy of TorchSharp's native shim is kept.
/// </summary>
internal sealed record TorchEnvironment(
    string? LibTorchVariable,
    string? NuGetPackages,
    IReadOnlyList<string> PythonSitePackages,
    string ApplicationFolder,
    string CacheFolder)
{
    /// <summary>The environment variable naming a libtorch folder (documented in docs/torch.md).</summary>
    public const string LibTorchVariableName = "LATENCYGATE_LIBTORCH";

    /// <summary>The libtorch the TorchSharp version we build against needs.</summary>
    public const string LibTorchVersion = "2.10.0";

    public const string TorchSharpVersion = "0.107.0";

    /// <summary>True when <see cref="NuGetPackages"/> is the NUGET_PACKAGES variable's folder rather than the default one.</summary>
    public bool NuGetPackagesFromVariable { get; init; }

    /// <summary>Reads the real environment: for hosts (the CLI, the benchmark program, tests).</summary>
    public static TorchEnvironment FromProcess()
    {
        var home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        var nuget = Environment.GetEnvironmentVariable("NUGET_PACKAGES");
        if (string.IsNullOrEmpty(nuget) && !string.IsNullOrEmpty(home))
        {
            nuget = Path.Combine(home, ".nuget", "packages");
        }

        var cacheRoot = Environment.GetEnvironmentVariable("XDG_CACHE_HOME");
        if (string.IsNullOrEmpty(cacheRoot))
        {
            cacheRoot = string.IsNullOrEmpty(home) ? Path.GetTempPath() : Path.Combine(home, ".cache");
        }

        return new TorchEnvironment(
            Environment.GetEnvironmentVariable(LibTorchVariableName),
            nuget,
            PythonFolders(home, Environment.GetEnvironmentVariable("VIRTUAL_ENV"), Environment.GetEnvironmentVariable("CONDA_PREFIX")),
            AppContext.BaseDirectory,
            Path.Combine(cacheRoot, "latency-gate", "torch"))
        {
            NuGetPackagesFromVariable = !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("NUGET_PACKAGES")),
        };
    }

    /// <summary>site-packages / dist-packages folders of the usual Python installs (virtualenv and conda first).</summary>
    private static List<string> PythonFolders(string? home, string? virtualEnv, string? conda)
    {
        var roots = new List<string>();
        foreach (var prefix in new[] { virtualEnv, conda })
        {
            if (!string.IsNullOrEmpty(prefix))
            {
                roots.Add(Path.Combine(prefix, "lib"));
            }
        }

        if (!string.IsNullOrEmpty(home))
        {
            roots.Add(Path.Combine(home, ".local", "lib"));
        }

        roots.AddRange(["/usr/local/lib", "/usr/lib", "/opt/conda/lib"]);
        var folders = new List<string>();
        foreach (var root in roots)
        {
            if (!Directory.Exists(root))
            {
                continue;
            }

            foreach (var python in Directory.GetDirectories(root, "python3*").Order(StringComparer.Ordinal))
            {
                folders.Add(Path.Combine(python, "site-packages"));
                folders.Add(Path.Combine(python, "dist-packages"));
            }
        }

        return folders;
    }
}
