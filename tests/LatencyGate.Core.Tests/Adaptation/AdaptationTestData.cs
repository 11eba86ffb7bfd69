using System.Globalization;
using LatencyGate.Adaptation;
using LatencyGate.Randomness;
using LatencyGate.Spaces;

namespace LatencyGate.Tests.Adaptation;

/// <summary>Helpers: random archs, OFA LUT files (read minimally), reference-table rows.</summary>
internal static class AdaptationTestData
{
    public static Arch[] RandomArchs(int count, ulong seed)
    {
        var rng = new SeededRandom(seed);
        var result = new Arch[count];
        for (var n = 0; n < count; n++)
        {
            var ks = new int[20];
            var e = new int[20];
            var d = new int[5];
            for (var i = 0; i < 20; i++)
            {
                ks[i] = rng.Choice(OfaSpace.KernelSizeChoices);
                e[i] = rng.Choice(OfaSpace.ExpandRatioChoices);
            }

            for (var s = 0; s < 5; s++)
            {
                d[s] = rng.Choice(OfaSpace.DepthChoices);
            }

            result[n] = Arch.Create(ks, e, d, OfaSpace.W12.Resolutions[rng.NextInt(25)]);
        }

        return result;
    }

    /// <summary>key → mean of an OFA <c>{r}_lookup_table.yaml</c> (the fixed layout OFA and our export write).</summary>
    public static Dictionary<string, double> ReadLutMeans(string path)
    {
        var result = new Dictionary<string, double>(StringComparer.Ordinal);
        string? key = null;
        foreach (var line in File.ReadLines(path))
        {
            if (!line.StartsWith(' ') && line.EndsWith(':'))
            {
                key = line[..^1];
            }
            else if (key is not null && line.TrimStart().StartsWith("mean:", StringComparison.Ordinal))
            {
                result[key] = double.Parse(line.Split(':', 2)[1], CultureInfo.InvariantCulture);
            }
        }

        return result;
    }

    /// <summary>Rows of ofanas-perfest/flat/ofa_mbv3_paired_3devices.csv: archs and the three latency columns.</summary>
    public static (Arch[] Archs, double[] Note10, double[] Rtx, double[] P40) PaperPaired(int maxRows = int.MaxValue)
    {
        var path = ReferenceData.PathOf("ofanas-perfest", "flat", "ofa_mbv3_paired_3devices.csv");
        var archs = new List<Arch>();
        var note10 = new List<double>();
        var rtx = new List<double>();
        var p40 = new List<double>();
        foreach (var line in File.ReadLines(path).Skip(1).Take(maxRows))
        {
            var f = line.Split(',');
            int I(int c) => int.Parse(f[c], CultureInfo.InvariantCulture);
            var r = I(1);
            var d = Enumerable.Range(2, 5).Select(I).ToArray();
            var ks = Enumerable.Range(7, 20).Select(I).ToArray();
            var e = Enumerable.Range(27, 20).Select(I).ToArray();
            archs.Add(Arch.Create(ks, e, d, r, OfaSpace.W10));
            note10.Add(double.Parse(f[48], CultureInfo.InvariantCulture));
            rtx.Add(double.Parse(f[49], CultureInfo.InvariantCulture));
            p40.Add(double.Parse(f[50], CultureInfo.InvariantCulture));
        }

        return (archs.ToArray(), note10.ToArray(), rtx.ToArray(), p40.ToArray());
    }

    public static LatencyShot[] Shots(Arch[] archs, double[] latency, IEnumerable<int> rows) =>
        rows.Select(i => new LatencyShot(archs[i], latency[i])).ToArray();

    public static double Mae(LatencyGate.Predictors.ILatencyPredictor predictor, Arch[] archs, double[] measured, IEnumerable<int> rows)
    {
        var r = rows.ToArray();
        var predicted = new double[r.Length];
        predictor.Predict(r.Select(i => archs[i]).ToArray(), predicted);
        return r.Select((row, j) => Math.Abs(predicted[j] - measured[row])).Average();
    }
}
