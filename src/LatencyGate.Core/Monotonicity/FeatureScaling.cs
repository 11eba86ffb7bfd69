namespace LatencyGate.Monotonicity;

internal static class FeatureScaling
{
    /// <summary>Zero mean, unit variance per column over the given rows; constant columns are dropped.</summary>
    public static double[][] Standardize(IReadOnlyList<double[]> rows) => Standardize(rows, out _);

    /// <summary>As <see cref="Standardize(IReadOnlyList{double[]})"/>, also giving the original index of each kept column.</summary>
    public static double[][] Standardize(IReadOnlyList<double[]> rows, out int[] keptColumns)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var n = rows.Count;
        var p = rows[0].Length;
        var keep = new List<(int Column, double Mean, double Sd)>();
        for (var j = 0; j < p; j++)
        {
            double mean = 0;
            for (var i = 0; i < n; i++)
            {
                mean += rows[i][j];
            }

            mean /= n;
            double variance = 0;
            for (var i = 0; i < n; i++)
            {
                variance += (rows[i][j] - mean) * (rows[i][j] - mean);
            }

            var sd = Math.Sqrt(variance / n);
            if (sd > 1e-12)
            {
                keep.Add((j, mean, sd));
            }
        }

        keptColumns = [.. keep.Select(k => k.Column)];
        var result = new double[n][];
        for (var i = 0; i < n; i++)
        {
            var x = new double[keep.Count];
            for (var k = 0; k < keep.Count; k++)
            {
                x[k] = (rows[i][keep[k].Column] - keep[k].Mean) / keep[k].Sd;
            }

            result[i] = x;
        }

        return result;
    }

    public static double[] Standardize(IReadOnlyList<double> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var mean = values.Average();
        var sd = Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / values.Count);
        return [.. values.Select(v => sd > 1e-12 ? (v - mean) / sd : 0)];
    }
}
