// One source for the libstdc++ compat fix of TorchSharp's native library, compiled twice: by MSBuild
// as the inline task of build/LibTorchSharpCompat.targets (after build and publish), and into
// LatencyGate.Torch (LATENCYGATE_RUNTIME defined) for the installed tool's run-time fix into its cache.
//
// Why: libLibTorchSharp.so from TorchSharp 0.107.0 needs GLIBCXX_3.4.32 (GCC 13's libstdc++) for one
// symbol, std::ios_base_library_init(), which it references but never calls. On a system whose
// libstdc++ stops at GLIBCXX_3.4.30 (GCC 12: Debian 12, Ubuntu 22.04) the loader refuses the file.
// Rewriting that one version-need record (.gnu.version_r) to GLIBCXX_3.4.30, a version the file
// already needs elsewhere, makes it load; the never-called symbol stays lazily unbound.
// Classic namespace syntax and netstandard2.0 APIs only: MSBuild's inline task compiler builds against them.
#nullable enable
using System;
using System.Collections.Generic;
using System.IO;
using System.Text;

namespace LatencyGate.Torch.Compat
{
    /// <summary>What <see cref="ElfVersionNeedPatch"/> did with one file.</summary>
    internal enum PatchOutcome
    {
        /// <summary>The file was rewritten (or the copy written).</summary>
        Patched,

        /// <summary>The file needs no change: it does not need the missing version, or the system has it.</summary>
        NotNeeded,

        /// <summary>The file cannot be fixed this way (the reason says why).</summary>
        Impossible,
    }

    /// <summary>The outcome of a patch and a sentence that says why.</summary>
    internal sealed class PatchResult
    {
        public PatchResult(PatchOutcome outcome, string reason)
        {
            Outcome = outcome;
            Reason = reason;
        }

        public PatchOutcome Outcome { get; }

        public string Reason { get; }
    }

    /// <summary>
    /// Rewrites one version-need record (vna_hash and vna_name of an Elf64_Vernaux in .gnu.version_r)
    /// of a little-endian ELF64 shared library from one symbol version to another whose name is
    /// already in .dynstr. Nothing else in the file moves, so the file keeps its size and layout.
    /// </summary>
    internal static class ElfVersionNeedPatch
    {
        public const string MissingVersion = "GLIBCXX_3.4.32";
        public const string ReplacementVersion = "GLIBCXX_3.4.30";
        public const string NeededLibrary = "libstdc++.so.6";

        private const uint ShtGnuVerneed = 0x6ffffffe;

        /// <summary>Folders where the dynamic loader finds the system libstdc++ (Debian/Ubuntu multiarch first).</summary>
        public static readonly string[] SystemLibraryFolders =
        {
            "/usr/lib/x86_64-linux-gnu", "/lib/x86_64-linux-gnu", "/usr/lib64", "/lib64", "/usr/lib", "/lib",
            "/usr/lib/aarch64-linux-gnu", "/lib/aarch64-linux-gnu",
        };

        /// <summary>The system libstdc++ the loader would pick (first of <paramref name="folders"/> that has one), or null.</summary>
        public static string? FindSystemLibStdCxx(IEnumerable<string> folders)
        {
            foreach (var folder in folders)
            {
                var path = Path.Combine(folder, NeededLibrary);
                if (File.Exists(path))
                {
                    return path;
                }
            }

            return null;
        }

        /// <summary>Whether a shared library defines a symbol version (its name as a NUL-terminated string in the file).</summary>
        public static bool DefinesVersion(string libraryPath, string version)
        {
            var bytes = File.ReadAllBytes(libraryPath);
            var needle = Encoding.ASCII.GetBytes(version + "\0");
            return IndexOf(bytes, needle, 0, bytes.Length) >= 0;
        }

        /// <summary>
        /// Decides whether a library needs the fix on this system: the system libstdc++ lacks
        /// <see cref="MissingVersion"/> but has <see cref="ReplacementVersion"/>.
        /// </summary>
        public static PatchResult SystemNeedsFix(string? systemLibStdCxx)
        {
            if (systemLibStdCxx is null)
            {
                return new PatchResult(PatchOutcome.Impossible, "no system libstdc++.so.6 found in " + string.Join(", ", SystemLibraryFolders));
            }

            if (DefinesVersion(systemLibStdCxx, MissingVersion))
            {
                return new PatchResult(PatchOutcome.NotNeeded, systemLibStdCxx + " has " + MissingVersion);
            }

            if (!DefinesVersion(systemLibStdCxx, ReplacementVersion))
            {
                return new PatchResult(PatchOutcome.Impossible, systemLibStdCxx + " has neither " + MissingVersion + " nor " + ReplacementVersion + " (a libstdc++ from GCC 12 or later is needed)");
            }

            return new PatchResult(PatchOutcome.Patched, systemLibStdCxx + " lacks " + MissingVersion + " and has " + ReplacementVersion);
        }

        /// <summary>
        /// Patches <paramref name="source"/> into <paramref name="destination"/> (which may be the same
        /// path): written to a temporary file beside the destination, then renamed over it, so a reader
        /// never sees half a file and a hard-linked package cache is never modified.
        /// </summary>
        public static PatchResult PatchFile(string source, string destination)
        {
            var bytes = File.ReadAllBytes(source);
            var result = Patch(bytes);
            if (result.Outcome != PatchOutcome.Patched)
            {
                return result;
            }

            var folder = Path.GetDirectoryName(Path.GetFullPath(destination))!;
            Directory.CreateDirectory(folder);
            var temp = Path.Combine(folder, "." + Path.GetFileName(destination) + "." + Guid.NewGuid().ToString("N") + ".tmp");
            try
            {
                // Copied first so the temporary file keeps the source's permissions (the loader needs read).
                File.Copy(source, temp, true);
                File.WriteAllBytes(temp, bytes);
                if (File.Exists(destination))
                {
                    File.Replace(temp, destination, null);
                }
                else
                {
                    File.Move(temp, destination);
                }
            }
            finally
            {
                if (File.Exists(temp))
                {
                    File.Delete(temp);
                }
            }

            return result;
        }

        /// <summary>Patches the image in memory; returns what happened.</summary>
        public static PatchResult Patch(byte[] elf)
        {
            if (elf.Length < 64 || elf[0] != 0x7f || elf[1] != (byte)'E' || elf[2] != (byte)'L' || elf[3] != (byte)'F')
            {
                return new PatchResult(PatchOutcome.Impossible, "not an ELF file");
            }

            if (elf[4] != 2 || elf[5] != 1)
            {
                return new PatchResult(PatchOutcome.Impossible, "not a little-endian 64-bit ELF file");
            }

            var sectionOffset = ReadU64(elf, 0x28);
            var sectionSize = ReadU16(elf, 0x3A);
            var sectionCount = ReadU16(elf, 0x3C);
            if (sectionSize < 64 || sectionOffset == 0 || sectionOffset + ((ulong)sectionSize * sectionCount) > (ulong)elf.Length)
            {
                return new PatchResult(PatchOutcome.Impossible, "section headers out of the file");
            }

            for (var s = 0; s < sectionCount; s++)
            {
                var header = (int)sectionOffset + (s * sectionSize);
                if (ReadU32(elf, header + 4) != ShtGnuVerneed)
                {
                    continue;
                }

                var offset = ReadU64(elf, header + 0x18);
                var size = ReadU64(elf, header + 0x20);
                var link = ReadU32(elf, header + 0x28);
                var entries = ReadU32(elf, header + 0x2C);
                if (link >= sectionCount || offset + size > (ulong)elf.Length)
                {
                    return new PatchResult(PatchOutcome.Impossible, ".gnu.version_r out of the file");
                }

                var strings = (int)sectionOffset + ((int)link * sectionSize);
                var stringsOffset = (int)ReadU64(elf, strings + 0x18);
                var stringsSize = (int)ReadU64(elf, strings + 0x20);
                if (stringsOffset + (long)stringsSize > elf.Length)
                {
                    return new PatchResult(PatchOutcome.Impossible, ".dynstr out of the file");
                }

                return PatchVersionNeeds(elf, (int)offset, (int)size, entries, stringsOffset, stringsSize);
            }

            return new PatchResult(PatchOutcome.NotNeeded, "the file has no version needs");
        }

        /// <summary>The SysV ELF hash of a version name (vna_hash).</summary>
        public static uint ElfHash(string name)
        {
            uint h = 0;
            foreach (var c in name)
            {
                h = (h << 4) + (byte)c;
                var g = h & 0xf0000000;
                if (g != 0)
                {
                    h ^= g >> 24;
                }

                h &= ~g;
            }

            return h;
        }

        private static PatchResult PatchVersionNeeds(byte[] elf, int start, int size, uint entries, int strings, int stringsSize)
        {
            var needle = Encoding.ASCII.GetBytes(ReplacementVersion + "\0");
            var replacementName = IndexOf(elf, needle, strings, strings + stringsSize);
            var need = start;
            for (var n = 0; n < entries && n < 4096; n++)
            {
                if (need < start || need + 16 > start + size)
                {
                    return new PatchResult(PatchOutcome.Impossible, "a version-need record lies outside .gnu.version_r");
                }

                var count = ReadU16(elf, need + 2);
                var file = ReadString(elf, strings + (int)ReadU32(elf, need + 4), strings + stringsSize);
                var aux = need + (int)ReadU32(elf, need + 8);
                for (var a = 0; a < count; a++)
                {
                    if (aux < start || aux + 16 > start + size)
                    {
                        return new PatchResult(PatchOutcome.Impossible, "a version-need entry lies outside .gnu.version_r");
                    }

                    var name = ReadString(elf, strings + (int)ReadU32(elf, aux + 8), strings + stringsSize);
                    if (file == NeededLibrary && name == MissingVersion)
                    {
                        if (replacementName < 0)
                        {
                            return new PatchResult(PatchOutcome.Impossible, "needs " + MissingVersion + " but .dynstr has no " + ReplacementVersion + " string to point the record at");
                        }

                        WriteU32(elf, aux, ElfHash(ReplacementVersion));
                        WriteU32(elf, aux + 8, (uint)(replacementName - strings));
                        return new PatchResult(PatchOutcome.Patched, "rewrote the " + NeededLibrary + " version need " + MissingVersion + " to " + ReplacementVersion);
                    }

                    var nextAux = ReadU32(elf, aux + 12);
                    if (nextAux == 0)
                    {
                        break;
                    }

                    aux += (int)nextAux;
                }

                var next = ReadU32(elf, need + 12);
                if (next == 0)
                {
                    break;
                }

                need += (int)next;
            }

            return new PatchResult(PatchOutcome.NotNeeded, "the file does not need " + MissingVersion);
        }

        private static int IndexOf(byte[] haystack, byte[] needle, int from, int to)
        {
            for (var i = from; i + needle.Length <= to; i++)
            {
                var j = 0;
                while (j < needle.Length && haystack[i + j] == needle[j])
                {
                    j++;
                }

                if (j == needle.Length)
                {
                    return i;
                }
            }

            return -1;
        }

        private static string ReadString(byte[] elf, int at, int end)
        {
            if (at < 0 || at >= end)
            {
                return string.Empty;
            }

            var stop = at;
            while (stop < end && elf[stop] != 0)
            {
                stop++;
            }

            return Encoding.ASCII.GetString(elf, at, stop - at);
        }

        private static ushort ReadU16(byte[] b, int at) => (ushort)(b[at] | (b[at + 1] << 8));

        private static uint ReadU32(byte[] b, int at) => (uint)(b[at] | (b[at + 1] << 8) | (b[at + 2] << 16) | (b[at + 3] << 24));

        private static ulong ReadU64(byte[] b, int at) => ReadU32(b, at) | ((ulong)ReadU32(b, at + 4) << 32);

        private static void WriteU32(byte[] b, int at, uint value)
        {
            b[at] = (byte)value;
            b[at + 1] = (byte)(value >> 8);
            b[at + 2] = (byte)(value >> 16);
            b[at + 3] = (byte)(value >> 24);
        }
    }

#if !LATENCYGATE_RUNTIME
    /// <summary>
    /// The MSBuild side: patches every copied libLibTorchSharp.so under a folder (build output or
    /// publish folder) when the system libstdc++ needs it. Never fails the build: a file that cannot
    /// be fixed is reported as a warning-free message, and LatencyGate's run-time check names the cause.
    /// </summary>
    public sealed class PatchLibTorchSharp : Microsoft.Build.Utilities.Task
    {
        [Microsoft.Build.Framework.Required]
        public string Folder { get; set; } = string.Empty;

        public override bool Execute()
        {
            if (!System.Runtime.InteropServices.RuntimeInformation.IsOSPlatform(System.Runtime.InteropServices.OSPlatform.Linux) || !Directory.Exists(Folder))
            {
                return true;
            }

            var files = Directory.GetFiles(Folder, "libLibTorchSharp.so", SearchOption.AllDirectories);
            if (files.Length == 0)
            {
                return true;
            }

            var system = ElfVersionNeedPatch.SystemNeedsFix(ElfVersionNeedPatch.FindSystemLibStdCxx(ElfVersionNeedPatch.SystemLibraryFolders));
            if (system.Outcome != PatchOutcome.Patched)
            {
                Log.LogMessage(Microsoft.Build.Framework.MessageImportance.Low, "LibTorchSharp compat: nothing to do ({0})", system.Reason);
                return true;
            }

            foreach (var file in files)
            {
                var result = ElfVersionNeedPatch.PatchFile(file, file);
                Log.LogMessage(Microsoft.Build.Framework.MessageImportance.Normal, "LibTorchSharp compat: {0}: {1}", file, result.Reason);
            }

            return true;
        }
    }
#endif
}
