namespace LatencyGate.Numerics;

/// <summary>
/// Standardization of double feature rows for the ridge fits (<see cref="LeaveOneOutRidge"/>): constant
/// columns are dropped, as a ridge fit cannot use them; the network input scaler
/// (<c>Learning.Standardizer</c>) keeps every column, in float32 as stored in predictor files.
/// </summary>
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
            var (mean, sd) = Moments.Of(n, i => rows[i][j]);
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
        var (mean, sd) = Moments.Of(values.Count, i => values[i]);
        return [.. values.Select(v => sd > 1e-12 ? (v - mean) / sd : 0)];
    }
}
