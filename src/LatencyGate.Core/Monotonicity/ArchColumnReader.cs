using System.Globalization;
using System.Text.RegularExpressions;
using LatencyGate.Diagnostics;
using LatencyGate.Spaces;
using LatencyGate.Spaces.FbNet;
using LatencyGate.Spaces.NasBench201;

namespace LatencyGate.Monotonicity;

/// <summary>
/// Finds the archs of a measurements CSV: an <c>arch</c> or <c>arch_str</c> column holding a
/// NAS-Bench-201 cell string, an FBNet op string or an OFA dict (JSON or Python literal), or OFA's
/// flat columns <c>r,d0..d4,ks0..ks19,e0..e19</c>. Null when there is none.
/// </summary>
internal static partial class ArchColumnReader
{
    public static ArchFeatureSet? Read(MeasurementTable table)
    {
        ArgumentNullException.ThrowIfNull(table);
        var column = new[] { "arch", "arch_str" }.FirstOrDefault(table.HasColumn);
        if (column is not null)
        {
            var text = table.Text(column);
            var c = table.ColumnIndex(column) + 1;
            var first = text[0].Trim().Trim('"', '\'');
            if (first.StartsWith('|'))
            {
                var cells = text.Select((t, i) => Nb201Cell.Parse(t, new SourceLocation(table.Path, i + 2, c))).ToArray();
                return new ArchFeatureSet("nasbench201", [.. cells.Select(Nb201Features.OneHot)], [.. cells.Select(Nb201Features.Structural)], Nb201Features.StructuralTier);
            }

            if (first.Contains('|', StringComparison.Ordinal))
            {
                var archs = text.Select((t, i) => FbNetArch.Parse(t, new SourceLocation(table.Path, i + 2, c))).ToArray();
                return new ArchFeatureSet("fbnet", [.. archs.Select(FbNetFeatures.OneHot)], [.. archs.Select(FbNetFeatures.Structural)], FbNetFeatures.StructuralTier);
            }

            var ofa = text.Select((t, i) => ParseOfaDict(t, new SourceLocation(table.Path, i + 2, c))).ToArray();
            return Ofa(ofa);
        }

        if (table.HasColumn("r") && table.HasColumn("d0") && table.HasColumn("ks0") && table.HasColumn("e0"))
        {
            var r = table.Numbers("r");
            var d = Enumerable.Range(0, 5).Select(s => table.Numbers("d" + s.ToString(CultureInfo.InvariantCulture))).ToArray();
            var ks = Enumerable.Range(0, 20).Select(s => table.Numbers("ks" + s.ToString(CultureInfo.InvariantCulture))).ToArray();
            var e = Enumerable.Range(0, 20).Select(s => table.Numbers("e" + s.ToString(CultureInfo.InvariantCulture))).ToArray();
            var archs = Enumerable.Range(0, table.RowCount).Select(i => Arch.Create(
                [.. ks.Select(k => (int)k[i])], [.. e.Select(x => (int)x[i])], [.. d.Select(x => (int)x[i])], (int)r[i], source: new SourceLocation(table.Path, i + 2, 1))).ToArray();
            return Ofa(archs);
        }

        return null;
    }

    private static ArchFeatureSet Ofa(Arch[] archs) =>
        new("ofa", [.. archs.Select(OfaOneHot)], [.. archs.Select(OfaStructural)], [.. Enumerable.Repeat(2, 20 * 6), 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1]);

    /// <summary>Kernel and expand one-hot per active block slot (zeros for inactive slots).</summary>
    private static double[] OfaOneHot(Arch arch)
    {
        var x = new double[20 * 6];
        for (var s = 0; s < Arch.SlotCount; s++)
        {
            if (arch.IsActive(s))
            {
                x[(6 * s) + ((arch.KernelSizes[s] - 3) / 2)] = 1;
                x[(6 * s) + 3 + (arch.ExpandRatios[s] == 3 ? 0 : arch.ExpandRatios[s] == 4 ? 1 : 2)] = 1;
            }
        }

        return x;
    }

    /// <summary>One-hot, then resolution terms and whole-net counts (blocks, kernel and expand sums, per-stage depth).</summary>
    private static double[] OfaStructural(Arch arch)
    {
        var r = arch.Resolution / 224.0;
        double ks = 0, e = 0, work = 0;
        for (var s = 0; s < Arch.SlotCount; s++)
        {
            if (arch.IsActive(s))
            {
                ks += arch.KernelSizes[s];
                e += arch.ExpandRatios[s];
                work += arch.ExpandRatios[s] * (1 + (arch.KernelSizes[s] * arch.KernelSizes[s] / 9.0));
            }
        }

        return [.. OfaOneHot(arch), r * r, r * r * work, arch.ActiveBlockCount * r * r, work, r, ks, e, arch.ActiveBlockCount, arch.Depths[0], arch.Depths[1], arch.Depths[2], arch.Depths[3], arch.Depths[4]];
    }

    private static Arch ParseOfaDict(string text, SourceLocation source)
    {
        int[] List(string key)
        {
            var m = Regex.Match(text, "['\"]" + key + "['\"]\\s*:\\s*\\[([^\\]]*)\\]");
            if (!m.Success)
            {
                var scalar = Regex.Match(text, "['\"]" + key + "['\"]\\s*:\\s*\\[?\\s*(\\d+)");
                return scalar.Success ? [int.Parse(scalar.Groups[1].Value, CultureInfo.InvariantCulture)] : [];
            }

            return [.. m.Groups[1].Value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(v => int.TryParse(v, NumberStyles.Integer, CultureInfo.InvariantCulture, out var x) ? x : -1)];
        }

        var ks = List("ks");
        var e = List("e");
        var d = List("d");
        var r = List("r");
        if (r.Length == 0)
        {
            r = List("image_size");
        }

        if (ks.Length == 0 || e.Length == 0 || d.Length == 0 || r.Length == 0)
        {
            throw new LatencyGateException(MonotonicityErrors.BadArchCell, "arch cell is neither a NAS-Bench-201 string, an FBNet op string nor an OFA dict with ks, e, d and r (or image_size)", source);
        }

        return Arch.Create(ks, e, d, r[0], source: source);
    }
}
