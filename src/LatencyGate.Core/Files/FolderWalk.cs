using System.Globalization;
using LatencyGate.Diagnostics;

namespace LatencyGate.Files;

/// <summary>
/// The files under an input folder (for cache keys and incremental-build inputs), walked with
/// bounds: symbolic links to folders are not followed (two links to <c>.</c> would otherwise
/// make the walk endless), the depth and the number of entries are capped, and a folder that
/// cannot be listed is a coded error instead of an exception.
/// </summary>
internal static class FolderWalk
{
    public const int MaxDepth = 16;
    public const int MaxEntries = 20_000;

    private static readonly EnumerationOptions Listing = new()
    {
        RecurseSubdirectories = false,
        IgnoreInaccessible = false,
        AttributesToSkip = 0,
        ReturnSpecialDirectories = false,
    };

    /// <summary>Full paths of the files under <paramref name="root"/>, sorted ordinally.</summary>
    public static IReadOnlyList<string> Files(string root, string code, SourceLocation? location = null)
    {
        ArgumentNullException.ThrowIfNull(root);
        var at = location ?? new SourceLocation(root);
        LatencyGateException Fail(string problem) => new(code, $"cannot walk the folder {EchoText.Cut(root)}: {problem}", at);
        var files = new List<string>();
        var pending = new Stack<(string Path, int Depth)>();
        pending.Push((Path.GetFullPath(root), 0));
        var entries = 0;
        while (pending.Count > 0)
        {
            var (folder, depth) = pending.Pop();
            IEnumerable<FileSystemInfo> children;
            try
            {
                children = new DirectoryInfo(folder).EnumerateFileSystemInfos("*", Listing).ToArray();
            }
            catch (Exception ex) when (ex is UnauthorizedAccessException or IOException or System.Security.SecurityException)
            {
                throw Fail($"{EchoText.Cut(folder)} cannot be listed ({ex.Message})");
            }

            foreach (var child in children)
            {
                if (++entries > MaxEntries)
                {
                    throw Fail(string.Create(CultureInfo.InvariantCulture, $"it holds more than {MaxEntries:N0} entries; name the folder of the tables itself"));
                }

                var isLink = child.Attributes.HasFlag(FileAttributes.ReparsePoint);
                if (child is DirectoryInfo)
                {
                    if (isLink)
                    {
                        continue;
                    }

                    if (depth + 1 > MaxDepth)
                    {
                        throw Fail(string.Create(CultureInfo.InvariantCulture, $"it is nested more than {MaxDepth} folders deep"));
                    }

                    pending.Push((child.FullName, depth + 1));
                }
                else if (!isLink || File.Exists(child.FullName))
                {
                    // A dangling link holds nothing; a link to a file counts as that file.
                    files.Add(child.FullName);
                }
            }
        }

        files.Sort(StringComparer.Ordinal);
        return files;
    }
}
