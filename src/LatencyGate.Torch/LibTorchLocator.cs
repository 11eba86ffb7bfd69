using System.Text.RegularExpressions;
using LatencyGate.Diagnostics;

namespace LatencyGate.Torch;

/// <summary>Where libtorch was found and how (for <c>doctor</c> and error messages).</summary>
internal sealed record LibTorchLocation(string Folder, string Source);

/// <summary>
/// Finds libtorch, in order: the folder named by LATENCYGATE_LIBTORCH; beside the application (a
/// build whose project references the libtorch package); the NuGet package folder
/// (libtorch-cpu-&lt;rid&gt;/2.10.0); a PyTorch 2.10 install (torch/lib in site-packages). Every place
/// looked at is recorded, so a miss can say where it looked.
/// </summary>
internal static partial class LibTorchLocator
{
    public static (LibTorchLocation? Location, IReadOnlyList<string> Looked) Find(TorchEnvironment environment)
    {
        var looked = new List<string>();
        if (!string.IsNullOrWhiteSpace(environment.LibTorchVariable))
        {
            var given = environment.LibTorchVariable!;
            foreach (var folder in new[] { given, Path.Combine(given, "lib"), Path.Combine(given, "runtimes", NativeNames.Rid, "native") })
            {
                if (File.Exists(Path.Combine(folder, NativeNames.TorchCpu)))
                {
                    return (new LibTorchLocation(Path.GetFullPath(folder), $"{TorchEnvironment.LibTorchVariableName}={given}"), looked);
                }
            }

            throw new LatencyGateException(
                TorchErrors.LibTorchVariableInvalid,
                $"{TorchEnvironment.LibTorchVariableName} is '{given}', but neither it nor its lib/ or runtimes/{NativeNames.Rid}/native/ holds {NativeNames.TorchCpu}; point it at a libtorch {TorchEnvironment.LibTorchVersion} folder, or unset it and run: {NativeNames.InstallCommand(environment)}");
        }

        foreach (var folder in new[] { environment.ApplicationFolder, Path.Combine(environment.ApplicationFolder, "runtimes", NativeNames.Rid, "native") })
        {
            looked.Add(folder);
            if (File.Exists(Path.Combine(folder, NativeNames.TorchCpu)))
            {
                return (new LibTorchLocation(Path.GetFullPath(folder), "beside the application"), looked);
            }
        }

        if (!string.IsNullOrEmpty(environment.NuGetPackages))
        {
            var folder = Path.Combine(environment.NuGetPackages, NativeNames.LibTorchPackage, TorchEnvironment.LibTorchVersion, "runtimes", NativeNames.Rid, "native");
            looked.Add(folder);
            if (File.Exists(Path.Combine(folder, NativeNames.TorchCpu)))
            {
                return (new LibTorchLocation(folder, $"NuGet package {NativeNames.LibTorchPackage} {TorchEnvironment.LibTorchVersion}"), looked);
            }
        }

        foreach (var site in environment.PythonSitePackages)
        {
            var torch = Path.Combine(site, "torch");
            var folder = Path.Combine(torch, "lib");
            if (!File.Exists(Path.Combine(folder, NativeNames.TorchCpu)))
            {
                continue;
            }

            var version = PyTorchVersion(torch);
            if (version is not null && version.StartsWith(TorchEnvironment.LibTorchVersion[..^2] + ".", StringComparison.Ordinal))
            {
                return (new LibTorchLocation(folder, $"PyTorch {version}"), looked);
            }

            looked.Add($"{folder} (PyTorch {version ?? "of unknown version"}, not {TorchEnvironment.LibTorchVersion[..^2]}.x)");
        }

        looked.Add("Python site-packages/torch/lib (no PyTorch install found)");
        return (null, looked);
    }

    /// <summary>Finds libtorch or throws LG0850 naming where it looked and the command that gets it.</summary>
    public static LibTorchLocation Require(TorchEnvironment environment)
    {
        var (location, looked) = Find(environment);
        return location ?? throw new LatencyGateException(TorchErrors.LibTorchMissing, MissingMessage(looked, environment));
    }

    public static string MissingMessage(IReadOnlyList<string> looked, TorchEnvironment environment) =>
        $"libtorch {TorchEnvironment.LibTorchVersion} (CPU) is not on this machine (looked in {string.Join("; ", looked)}); get it with: {NativeNames.InstallCommand(environment)} (or set {TorchEnvironment.LibTorchVariableName} to a libtorch folder)";

    private static string? PyTorchVersion(string torchFolder)
    {
        var file = Path.Combine(torchFolder, "version.py");
        if (!File.Exists(file) || new FileInfo(file).Length > 64 * 1024)
        {
            return null;
        }

        var match = VersionLine().Match(File.ReadAllText(file));
        return match.Success ? match.Groups[1].Value : null;
    }

    [GeneratedRegex("""__version__\s*=\s*['"]([^'"]+)['"]""")]
    private static partial Regex VersionLine();
}
