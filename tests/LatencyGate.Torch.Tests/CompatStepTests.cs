using LatencyGate.Torch;
using LatencyGate.Torch.Compat;
using Shouldly;
using Xunit;

namespace LatencyGate.Tests;

/// <summary>The libstdc++ compat step: the build patched the copied shim, the package's file is untouched, the patch is exact.</summary>
public sealed class CompatStepTests
{
    private static string PackageShim => Path.Combine(
        Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } p ? p : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages"),
        "torchsharp", TorchEnvironment.TorchSharpVersion, "runtimes", "linux-x64", "native", "libLibTorchSharp.so");

    private static string BuiltShim => Path.Combine(AppContext.BaseDirectory, "runtimes", "linux-x64", "native", "libLibTorchSharp.so");

    [Fact]
    public void The_build_patched_the_copied_shim_where_this_system_needs_it_and_left_the_package_alone()
    {
        var system = ElfVersionNeedPatch.SystemNeedsFix(ElfVersionNeedPatch.FindSystemLibStdCxx(ElfVersionNeedPatch.SystemLibraryFolders));
        var built = ElfVersionNeedPatch.Patch(File.ReadAllBytes(BuiltShim));
        var package = ElfVersionNeedPatch.Patch(File.ReadAllBytes(PackageShim));
        package.Outcome.ShouldBe(PatchOutcome.Patched, "TorchSharp 0.107.0's shim needs GLIBCXX_3.4.32");
        built.Outcome.ShouldBe(system.Outcome == PatchOutcome.Patched ? PatchOutcome.NotNeeded : PatchOutcome.Patched, system.Reason);
    }

    [Fact]
    public void The_patch_changes_one_records_hash_and_name_only_and_is_idempotent()
    {
        var original = File.ReadAllBytes(PackageShim);
        var patched = (byte[])original.Clone();
        ElfVersionNeedPatch.Patch(patched).Outcome.ShouldBe(PatchOutcome.Patched);
        patched.Length.ShouldBe(original.Length);
        var changed = Enumerable.Range(0, original.Length).Where(i => original[i] != patched[i]).ToArray();
        changed.Length.ShouldBeInRange(1, 8);
        (changed[^1] - changed[0]).ShouldBeLessThan(12, "vna_hash at +0 and vna_name at +8 of one Elf64_Vernaux");
        ElfVersionNeedPatch.Patch(patched).Outcome.ShouldBe(PatchOutcome.NotNeeded);
    }

    [Fact]
    public void The_sysv_hash_matches_the_elf_specification()
    {
        // Values from the System V ABI's elf_hash (as binutils computes them for version records).
        ElfVersionNeedPatch.ElfHash("GLIBC_2.2.5").ShouldBe(0x09691a75u);
        ElfVersionNeedPatch.ElfHash(string.Empty).ShouldBe(0u);
    }

    [Fact]
    public void Not_an_elf_file_is_refused()
    {
        ElfVersionNeedPatch.Patch(new byte[100]).Outcome.ShouldBe(PatchOutcome.Impossible);
        ElfVersionNeedPatch.Patch([0x7f, (byte)'E', (byte)'L', (byte)'F']).Outcome.ShouldBe(PatchOutcome.Impossible);
    }
}
