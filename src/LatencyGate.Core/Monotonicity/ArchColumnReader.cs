using System.Globalization;
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
internal static class ArchColumnReader
{
    /// <param name="table">The measurements, with an arch column or OFA's flat columns.</param>
    /// <param name="ofaSpace">The OFA space OFA archs belong to (their features depend on its widths); default w1.0.</param>
    public static ArchFeatureSet? Read(MeasurementTable table, OfaSpace? ofaSpace = null)
    {
        ArgumentNullException.ThrowIfNull(table);
        ofaSpace ??= OfaSpace.W10;
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

            var ofa = text.Select((t, i) => ParseOfa(t, ofaSpace, new SourceLocation(table.Path, i + 2, c))).ToArray();
            return OfaAdaptationFeatures.For(ofa, ofaSpace);
        }

        if (table.HasColumn("r") && table.HasColumn("d0") && table.HasColumn("ks0") && table.HasColumn("e0"))
        {
            var r = table.Numbers("r");
            var d = Enumerable.Range(0, 5).Select(s => table.Numbers("d" + s.ToString(CultureInfo.InvariantCulture))).ToArray();
            var ks = Enumerable.Range(0, 20).Select(s => table.Numbers("ks" + s.ToString(CultureInfo.InvariantCulture))).ToArray();
            var e = Enumerable.Range(0, 20).Select(s => table.Numbers("e" + s.ToString(CultureInfo.InvariantCulture))).ToArray();
            var archs = Enumerable.Range(0, table.RowCount).Select(i => Arch.Create(
                [.. ks.Select(k => (int)k[i])], [.. e.Select(x => (int)x[i])], [.. d.Select(x => (int)x[i])], (int)r[i], source: new SourceLocation(table.Path, i + 2, 1))).ToArray();
            return OfaAdaptationFeatures.For(archs, ofaSpace);
        }

        return null;
    }

    /// <summary>The arch of data row <paramref name="row"/> as text: the arch cell as written, or OFA JSON built from the flat columns.</summary>
    public static string ArchText(MeasurementTable table, int row)
    {
        ArgumentNullException.ThrowIfNull(table);
        var column = new[] { "arch", "arch_str" }.FirstOrDefault(table.HasColumn);
        if (column is not null)
        {
            return table.Rows[row][table.ColumnIndex(column)].Trim();
        }

        int Cell(string name) => (int)table.Numbers(name)[row];
        var arch = Arch.Create(
            [.. Enumerable.Range(0, 20).Select(s => Cell("ks" + s.ToString(CultureInfo.InvariantCulture)))],
            [.. Enumerable.Range(0, 20).Select(s => Cell("e" + s.ToString(CultureInfo.InvariantCulture)))],
            [.. Enumerable.Range(0, 5).Select(s => Cell("d" + s.ToString(CultureInfo.InvariantCulture)))],
            Cell("r"),
            source: new SourceLocation(table.Path, row + 2, 1));
        return ArchJson.Write(arch);
    }

    private static Arch ParseOfa(string text, OfaSpace space, SourceLocation source)
    {
        if (!text.TrimStart().StartsWith('{'))
        {
            throw new LatencyGateException(MonotonicityErrors.BadArchCell, "arch cell is neither a NAS-Bench-201 string, an FBNet op string nor an OFA dict with ks, e, d and r (or image_size)", source);
        }

        return ArchJson.Parse(text, space, source);
    }
}
