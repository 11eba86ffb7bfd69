using System.Globalization;
using System.Text.RegularExpressions;
using LatencyGate.Diagnostics;
using LatencyGate.Files;
using LatencyGate.Measurements;
using LatencyGate.Spaces;

namespace LatencyGate.Measuring;

/// <summary>
/// The archs of an <c>--archs</c> file, in order: <c>sample</c>'s JSON lines (or Python dict
/// literals), a measurements CSV (its <c>arch</c> or flat columns), or canonical arch keys one per
/// line (<c>r192-d22343-k…-e…</c>, as <c>explain</c> and the reports print them). Every bad line is
/// reported with its line number (LG0805, or the arch's own code when it is outside the space).
/// </summary>
internal static partial class ArchListReader
{
    public const long MaxBytes = 64L * 1024 * 1024;

    public static IReadOnlyList<Arch> Read(string path, OfaSpace space)
    {
        ArgumentNullException.ThrowIfNull(space);
        // Bounded, and refusing folders, FIFOs and endless devices (/dev/zero) before reading.
        var text = BoundedFile.ReadAllText(path, MaxBytes, MeasuringErrors.BadArchList, "the arch list");

        var lines = text.Split('\n').Select(l => l.TrimEnd('\r')).ToArray();
        var first = Array.FindIndex(lines, l => l.Trim().Length > 0);
        if (first < 0)
        {
            throw Bad(new SourceLocation(path), "the arch list is empty; expected sample's JSON lines, a measurements CSV or arch keys, one per line");
        }

        var head = lines[first].Trim();
        if (!head.StartsWith('{') && head.Contains(',', StringComparison.Ordinal) && !KeyPattern().IsMatch(head))
        {
            return FromCsv(text, lines, first, path, space);
        }

        var archs = new List<Arch>();
        var errors = new DiagnosticBag();
        for (var i = first; i < lines.Length; i++)
        {
            var line = lines[i].Trim();
            if (line.Length == 0)
            {
                continue;
            }

            var location = new SourceLocation(path, i + 1, 1);
            try
            {
                archs.Add(line.StartsWith('{') ? ArchJson.Parse(line, space, location) : ParseKey(line, space, location));
            }
            catch (LatencyGateException ex)
            {
                foreach (var d in ex.Diagnostics)
                {
                    errors.Add(d);
                }
            }

            if (errors.Items.Count >= 100)
            {
                break;
            }
        }

        errors.ThrowIfErrors();
        return archs;
    }

    /// <summary>An arch from its canonical key (<see cref="Arch.CanonicalKey"/>); inactive slots get kernel 3, expand 3.</summary>
    public static Arch ParseKey(string key, OfaSpace space, SourceLocation? location = null)
    {
        ArgumentNullException.ThrowIfNull(key);
        var m = KeyPattern().Match(key.Trim());
        if (!m.Success)
        {
            throw Bad(location, $"'{Short(key)}' is not an arch: expected a JSON object or a key like r192-d22343-k35|357|…-e34|…");
        }

        var resolution = int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
        var depths = m.Groups[2].Value.Select(c => c - '0').ToArray();
        var ks = Slots(m.Groups[3].Value, depths, location, key);
        var e = Slots(m.Groups[4].Value, depths, location, key);
        return Arch.Create(ks, e, depths, resolution, space, location);
    }

    private static int[] Slots(string text, int[] depths, SourceLocation? location, string key)
    {
        var stages = text.Split('|');
        if (stages.Length != Arch.StageCount || stages.Select((s, i) => s.Length != depths[i]).Any(x => x))
        {
            throw Bad(location, $"'{Short(key)}': each of the 5 stages must list one digit per active block (as many as its depth)");
        }

        var values = Enumerable.Repeat(3, Arch.SlotCount).ToArray();
        for (var s = 0; s < stages.Length; s++)
        {
            for (var j = 0; j < stages[s].Length; j++)
            {
                values[(s * Arch.MaxDepth) + j] = stages[s][j] - '0';
            }
        }

        return values;
    }

    // A CSV's arch column is read here, whatever its other columns hold: a list of archs to measure
    // with its latency cells still empty ("arch,latency_ms" and ",") was refused as a measurements file
    // with bad rows (LG0150). Without an arch column, a measurements CSV's flat columns go through its reader.
    private static List<Arch> FromCsv(string text, string[] lines, int headerLine, string path, OfaSpace space)
    {
        var header = Csv.Fields(lines[headerLine]).Select(c => c.Trim()).ToList();
        var column = header.FindIndex(c => c is "arch" or "child_arch");
        if (column < 0 && header.Contains(MeasurementsCsv.DefaultLatencyColumn))
        {
            return [.. MeasurementsCsv.Parse(text, path, space).Items.Select(m => m.Arch)];
        }

        if (column < 0)
        {
            throw Bad(new SourceLocation(path, headerLine + 1, 1), "a CSV arch list needs an 'arch' column (or a measurements CSV with latency_ms)");
        }

        var archs = new List<Arch>();
        for (var i = headerLine + 1; i < lines.Length; i++)
        {
            if (lines[i].Trim().Length == 0)
            {
                continue;
            }

            var location = new SourceLocation(path, i + 1, 1);
            var cells = Csv.Fields(lines[i]);
            archs.Add(cells.Count > column ? ArchJson.Parse(cells[column], space, location) : throw Bad(location, "the row has no arch cell"));
        }

        return archs;
    }

    private static string Short(string text) => text.Length > 60 ? text[..60] + "…" : text;

    private static LatencyGateException Bad(SourceLocation? location, string message) =>
        new(MeasuringErrors.BadArchList, message, location);

    // ASCII digits only: \d takes any script's digits ('r١٩٢'), which int.Parse then refuses.
    [GeneratedRegex(@"^r([0-9]{1,4})-d([0-9]{5})-k([0-9|]+)-e([0-9|]+)$", RegexOptions.CultureInvariant)]
    private static partial Regex KeyPattern();
}
