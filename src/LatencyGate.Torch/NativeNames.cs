using System.Runtime.InteropServices;

namespace LatencyGate.Torch;

/// <summary>File names of libtorch and of TorchSharp's shim on this platform, and the NuGet packages that carry them.</summary>
internal static class NativeNames
{
    public static string Rid =>
        OperatingSystem.IsWindows() ? (RuntimeInformation.ProcessArchitecture == Architecture.Arm64 ? "win-arm64" : "win-x64")
        : OperatingSystem.IsMacOS() ? "osx-arm64"
        : "linux-x64";

    /// <summary>libtorch's CPU library, the one whose presence marks a libtorch folder.</summary>
    public static string TorchCpu => Library("torch_cpu");

    public static string Torch => Library("torch");

    public static string TorchCuda => Library("torch_cuda");

    public static string Shim => Library("LibTorchSharp");

    /// <summary>The NuGet package that holds the CPU libtorch for this platform.</summary>
    public static string LibTorchPackage => "libtorch-cpu-" + Rid;

    /// <summary>
    /// The one command that puts libtorch where the tool finds it: into the NuGet package folder the
    /// tool looks in, which is NUGET_PACKAGES when that is set (a CI cache, say), not always ~/.nuget/packages.
    /// </summary>
    public static string InstallCommand(TorchEnvironment environment)
    {
        var folder = environment.NuGetPackagesFromVariable && !string.IsNullOrEmpty(environment.NuGetPackages)
            ? (environment.NuGetPackages.Contains(' ', StringComparison.Ordinal) ? $"\"{environment.NuGetPackages}\"" : environment.NuGetPackages)
            : OperatingSystem.IsWindows() ? "%USERPROFILE%\\.nuget\\packages" : "~/.nuget/packages";
        return $"dotnet package download {LibTorchPackage}@{TorchEnvironment.LibTorchVersion} --output {folder}";
    }

    private static string Library(string name) =>
        OperatingSystem.IsWindows() ? name + ".dll" : OperatingSystem.IsMacOS() ? "lib" + name + ".dylib" : "lib" + name + ".so";
}
