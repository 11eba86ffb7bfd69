using System.Collections.Concurrent;

namespace LatencyGate.Files;

/// <summary>
/// The temporary files of atomic writes still in progress. A host that must end the process while
/// work is running (the CLI, 2 s after Ctrl-C or SIGTERM) deletes them first, so a hard stop leaves
/// no <c>.tmp</c> file beside the outputs; the finally blocks that normally delete them do not run then.
/// </summary>
internal static class PendingTemps
{
    private static readonly ConcurrentDictionary<string, byte> Paths = new(StringComparer.Ordinal);

    public static void Add(string path) => Paths.TryAdd(path, 0);

    public static void Remove(string path) => Paths.TryRemove(path, out _);

    public static bool Contains(string path) => Paths.ContainsKey(path);

    /// <summary>Deletes every pending temporary file (or those <paramref name="where"/> selects; best effort); returns how many were deleted.</summary>
    public static int DeleteAll(Func<string, bool>? where = null)
    {
        var deleted = 0;
        foreach (var path in Paths.Keys.Where(where ?? (_ => true)))
        {
            try
            {
                if (File.Exists(path))
                {
                    File.Delete(path);
                    deleted++;
                }
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // Best effort: the process is ending; a stray temp file is never read as an output.
            }

            Paths.TryRemove(path, out _);
        }

        return deleted;
    }
}
