using System.Runtime.InteropServices;
using System.Security.Cryptography;
using LatencyGate.Diagnostics;
using LatencyGate.Torch.Compat;
using TorchSharp;

namespace LatencyGate.Torch;

/// <summary>
/// Loads libtorch into the process once: finds it (<see cref="LibTorchLocator"/>), finds TorchSharp's
/// native shim, patches a copy of the shim into the cache folder where the system libstdc++ needs it
/// (the same patch as the build step, build/LibTorchSharpCompat.cs), then loads libtorch and the shim
/// by full path before TorchSharp looks for them by name, so TorchSharp finds them already loaded.
/// Failures keep the loader's own message: TorchSharp's says the libtorch package is missing even
/// when the cause is a libstdc++ version.
/// </summary>
internal static partial class TorchRuntime
{
    private static readonly Lock Gate = new();
    private static TorchStatus? _status;

    /// <summary>Loads libtorch if it can; never throws for a missing or broken libtorch (the status says why).</summary>
    public static TorchStatus Load(TorchEnvironment environment)
    {
        lock (Gate)
        {
            return _status ??= TryLoad(environment);
        }
    }

    /// <summary>Loads libtorch or throws its LG code (exit 2): for the commands that need it.</summary>
    public static TorchStatus Require(TorchEnvironment environment)
    {
        var status = Load(environment);
        return status.Available ? status : throw new LatencyGateException(status.Code!, status.Problem!);
    }

    private static TorchStatus TryLoad(TorchEnvironment environment)
    {
        LibTorchLocation? location;
        IReadOnlyList<string> looked;
        try
        {
            (location, looked) = LibTorchLocator.Find(environment);
        }
        catch (LatencyGateException e)
        {
            return new TorchStatus(false, null, null, "not checked", e.Diagnostics[0].Code, e.Diagnostics[0].Message);
        }

        if (location is null)
        {
            return new TorchStatus(false, null, null, "not checked", TorchErrors.LibTorchMissing, LibTorchLocator.MissingMessage(looked, environment));
        }

        var shim = FindShim(environment);
        if (shim is null)
        {
            return new TorchStatus(false, location, null, "not checked", TorchErrors.LibTorchLoadFailed, $"TorchSharp's native shim {NativeNames.Shim} is neither beside TorchSharp.dll nor in the NuGet package folder (torchsharp/{TorchEnvironment.TorchSharpVersion}); reinstall the tool");
        }

        var (loadable, compat) = Compatible(shim, environment.CacheFolder);
        PassiveOpenMpWait();
        ReproducibleMkl();
        try
        {
            NativeLibrary.Load(Path.Combine(location.Folder, NativeNames.TorchCpu));
            var torch = Path.Combine(location.Folder, NativeNames.Torch);
            if (File.Exists(torch))
            {
                NativeLibrary.Load(torch);
            }

            NativeLibrary.Load(loadable);
        }
        catch (Exception e) when (e is DllNotFoundException or BadImageFormatException)
        {
            return new TorchStatus(false, location, loadable, compat, TorchErrors.LibTorchLoadFailed, $"libtorch at {location.Folder} ({location.Source}) does not load: {e.Message} ({compat})");
        }

        try
        {
            torch.InitializeDeviceType(DeviceType.CPU);
        }
        catch (Exception e) when (e is NotSupportedException or InvalidOperationException or DllNotFoundException or EntryPointNotFoundException)
        {
            return new TorchStatus(false, location, loadable, compat, TorchErrors.LibTorchLoadFailed, $"libtorch at {location.Folder} loaded, but TorchSharp {TorchEnvironment.TorchSharpVersion} cannot use it (is it libtorch {TorchEnvironment.LibTorchVersion}?): {e.Message.Split('\n')[0]}");
        }

        return new TorchStatus(true, location, loadable, compat, null, null);
    }

    /// <summary>
    /// OpenMP threads that spin while waiting steal the cores a loaded machine has left: measured at
    /// 2 threads under load, a pass collapsed to 135–677 ms unless OMP_WAIT_POLICY=PASSIVE. libgomp
    /// reads it once, when it loads (with libtorch), from the native environment, which
    /// Environment.SetEnvironmentVariable does not change on Unix: hence setenv. A user's own value wins.
    /// </summary>
    private static void PassiveOpenMpWait()
    {
        if (OperatingSystem.IsWindows() || !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("OMP_WAIT_POLICY")))
        {
            return;
        }

        Environment.SetEnvironmentVariable("OMP_WAIT_POLICY", "PASSIVE");
        _ = SetEnv("OMP_WAIT_POLICY", "PASSIVE", 0);
    }

    /// <summary>
    /// libtorch's CPU build carries Intel MKL, which by default may pick another code branch from run to
    /// run (its conditional numerical reproducibility is off): the same `fit --engine torch --strategy
    /// head` wrote files differing in the last bits of their conformal scores in 1 run of 4, with one
    /// thread. MKL_CBWR=AUTO keeps the branch this CPU gets fixed, at no measured cost in time (a
    /// 2,000-row MLP fit: 0.91–0.96 s of CPU against 0.94–1.16 s); a value the user set stays.
    /// </summary>
    private static void ReproducibleMkl()
    {
        if (OperatingSystem.IsWindows() || !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("MKL_CBWR")))
        {
            return;
        }

        Environment.SetEnvironmentVariable("MKL_CBWR", "AUTO");
        _ = SetEnv("MKL_CBWR", "AUTO", 0);
    }

    [LibraryImport("libc", EntryPoint = "setenv", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int SetEnv(string name, string value, int overwrite);

    /// <summary>The shim beside TorchSharp.dll (a build or the tool), else in the NuGet package folder.</summary>
    private static string? FindShim(TorchEnvironment environment)
    {
        var managed = Path.GetDirectoryName(typeof(torch).Assembly.Location) ?? environment.ApplicationFolder;
        var candidates = new List<string>
        {
            Path.Combine(managed, NativeNames.Shim),
            Path.Combine(managed, "runtimes", NativeNames.Rid, "native", NativeNames.Shim),
        };
        if (!string.IsNullOrEmpty(environment.NuGetPackages))
        {
            candidates.Add(Path.Combine(environment.NuGetPackages, "torchsharp", TorchEnvironment.TorchSharpVersion, "runtimes", NativeNames.Rid, "native", NativeNames.Shim));
        }

        return candidates.FirstOrDefault(File.Exists);
    }

    /// <summary>
    /// The shim to load: itself, or (Linux, libstdc++ without GLIBCXX_3.4.32) a patched copy in the
    /// cache folder, named by the source's hash so a changed shim gets a fresh copy.
    /// </summary>
    private static (string Path, string Compat) Compatible(string shim, string cacheFolder)
    {
        if (!OperatingSystem.IsLinux())
        {
            return (shim, "no libstdc++ compat step on this platform");
        }

        var system = ElfVersionNeedPatch.SystemNeedsFix(ElfVersionNeedPatch.FindSystemLibStdCxx(ElfVersionNeedPatch.SystemLibraryFolders));
        if (system.Outcome != PatchOutcome.Patched)
        {
            return (shim, $"libstdc++ compat: not applied ({system.Reason})");
        }

        var bytes = File.ReadAllBytes(shim);
        var probe = ElfVersionNeedPatch.Patch((byte[])bytes.Clone());
        if (probe.Outcome != PatchOutcome.Patched)
        {
            return (shim, $"libstdc++ compat: {system.Reason}; the shim needs no change ({probe.Reason})");
        }

        var hash = Convert.ToHexStringLower(SHA256.HashData(bytes))[..16];
        var copy = Path.Combine(cacheFolder, $"torchsharp-{TorchEnvironment.TorchSharpVersion}-{hash}", NativeNames.Shim);
        if (!File.Exists(copy))
        {
            ElfVersionNeedPatch.PatchFile(shim, copy);
        }

        return (copy, $"libstdc++ compat: {system.Reason}; loaded a patched copy of the shim ({probe.Reason})");
    }
}
