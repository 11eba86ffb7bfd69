using System.Globalization;
using System.Text;
using LatencyGate.Diagnostics;

namespace LatencyGate.Predictors.Lut;

/// <summary>One entry of an OFA lookup table: mean latency (ms), its spread and how many runs it averages.</summary>
internal sealed record LutEntry(double Mean, double Std, int Count);

/// <summary>
/// Writes OFA-format lookup-table folders (<c>{r}_lookup_table.yaml</c>: each layer key with
/// <c>count</c>, <c>mean</c>, <c>std</c>, keys sorted, numbers round-trip), which
/// <see cref="LookupTablePredictor"/> and OFA's own code read back.
/// </summary>
internal static class LutWriter
{
    public static string Render(IReadOnlyDictionary<string, LutEntry> table)
    {
        var sb = new StringBuilder();
        foreach (var key in table.Keys.Order(StringComparer.Ordinal))
        {
            var entry = table[key];
            sb.Append(key).Append(":\n");
            sb.Append("  count: ").Append(entry.Count.ToString(CultureInfo.InvariantCulture)).Append('\n');
            sb.Append("  mean: ").Append(entry.Mean.ToString("R", CultureInfo.InvariantCulture)).Append('\n');
            sb.Append("  std: ").Append(entry.Std.ToString("R", CultureInfo.InvariantCulture)).Append('\n');
        }

        return sb.ToString();
    }

    /// <summary>
    /// Writes one table per resolution into <paramref name="folder"/> as one output: every table
    /// staged first, then renamed (a failure at the third, e.g. a full disk, leaves none of them, not a
    /// folder that loads with fewer resolutions); returns the files written.
    /// </summary>
    public static IReadOnlyList<string> WriteFolder(string folder, IEnumerable<(int Resolution, IReadOnlyDictionary<string, LutEntry> Table)> tables)
    {
        ArgumentNullException.ThrowIfNull(tables);
        Files.OutputFile.CheckWritableFolder(folder, "the lookup table folder", LutErrors.WriteFailed);
        var files = new List<(string Path, Action<Stream> Write)>();
        foreach (var (resolution, table) in tables)
        {
            var path = Path.Combine(folder, resolution.ToString(CultureInfo.InvariantCulture) + "_lookup_table.yaml");
            var text = Encoding.UTF8.GetBytes(Render(table));
            files.Add((path, stream => stream.Write(text)));
        }

        Files.OutputFile.WriteGroup(files, "the lookup table", LutErrors.WriteFailed);
        return [.. files.Select(f => f.Path)];
    }
}
