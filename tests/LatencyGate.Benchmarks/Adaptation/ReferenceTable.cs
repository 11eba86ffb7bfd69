using System.Globalization;
using LatencyGate.Adaptation;
using LatencyGate.Spaces;

namespace LatencyGate.Benchmarks.Adaptation;

/// <summary>
/// A reference CSV with flat arch columns (<c>r, d0..d4, ks0..ks19, e0..e19</c>) and latency columns,
/// rows in file order (paired across devices): ofanas-perfest/flat/*.csv and help/ofa/ofa_mbv3_gpu_latency.csv.
/// </summary>
internal sealed class ReferenceTable
{
    private readonly Dictionary<string, double[]> _columns;

    private ReferenceTable(Arch[] archs, Dictionary<string, double[]> columns)
    {
        Archs = archs;
        _columns = columns;
    }

    public Arch[] Archs { get; }

    public double[] Column(string name) => _columns[name];

    public IReadOnlyList<LatencyShot> Shots(string column, IEnumerable<int> rows)
    {
        var values = Column(column);
        return rows.Select(i => new LatencyShot(Archs[i], values[i])).ToArray();
    }

    /// <summary><paramref name="count"/> distinct rows drawn by <paramref name="random"/> from the first <paramref name="poolSize"/> rows.</summary>
    public IReadOnlyList<LatencyShot> RandomShots(string column, int poolSize, int count, LatencyGate.Randomness.SeededRandom random)
    {
        var pool = Enumerable.Range(0, poolSize).ToArray();
        random.Shuffle(pool.AsSpan());
        return Shots(column, pool.Take(count));
    }

    public static ReferenceTable Load(string path, OfaSpace space)
    {
        using var reader = new StreamReader(path);
        var header = reader.ReadLine()!.Split(',');
        int Index(string name) => Array.IndexOf(header, name);
        var r = Index("r");
        var d = Enumerable.Range(0, 5).Select(i => Index("d" + i.ToString(CultureInfo.InvariantCulture))).ToArray();
        var ks = Enumerable.Range(0, 20).Select(i => Index("ks" + i.ToString(CultureInfo.InvariantCulture))).ToArray();
        var e = Enumerable.Range(0, 20).Select(i => Index("e" + i.ToString(CultureInfo.InvariantCulture))).ToArray();
        var latencyColumns = Enumerable.Range(0, header.Length).Where(i => header[i].StartsWith("lat", StringComparison.Ordinal)).ToArray();
        var archs = new List<Arch>();
        var values = latencyColumns.Select(_ => new List<double>()).ToArray();
        string? line;
        while ((line = reader.ReadLine()) is not null)
        {
            var f = line.Split(',');
            int I(int c) => int.Parse(f[c], CultureInfo.InvariantCulture);
            archs.Add(Arch.Create(ks.Select(I).ToArray(), e.Select(I).ToArray(), d.Select(I).ToArray(), I(r), space));
            for (var j = 0; j < latencyColumns.Length; j++)
            {
                values[j].Add(double.Parse(f[latencyColumns[j]], CultureInfo.InvariantCulture));
            }
        }

        var columns = new Dictionary<string, double[]>(StringComparer.Ordinal);
        for (var j = 0; j < latencyColumns.Length; j++)
        {
            columns[header[latencyColumns[j]]] = values[j].ToArray();
        }

        return new ReferenceTable(archs.ToArray(), columns);
    }
}
