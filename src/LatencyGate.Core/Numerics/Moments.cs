namespace LatencyGate.Numerics;

/// <summary>
/// Mean and population standard deviation by two passes in index order: the arithmetic every scaler
/// (<see cref="FeatureScaling"/>, <c>Learning.Standardizer</c>, <c>Learning.TargetScaler</c>) shares,
/// so a column standardized in one place is standardized to the same bits in another.
/// </summary>
internal static class Moments
{
    /// <summary>Mean and standard deviation (divisor n) of <paramref name="count"/> values.</summary>
    public static (double Mean, double Sd) Of(int count, Func<int, double> value)
    {
        if (count == 0)
        {
            return (0, 0);
        }

        var mean = 0.0;
        for (var i = 0; i < count; i++)
        {
            mean += value(i);
        }

        mean /= count;
        var variance = 0.0;
        for (var i = 0; i < count; i++)
        {
            var d = value(i) - mean;
            variance += d * d;
        }

        return (mean, Math.Sqrt(variance / count));
    }

    public static (double Mean, double Sd) Of(ReadOnlySpan<double> values)
    {
        var mean = 0.0;
        foreach (var v in values)
        {
            mean += v;
        }

        if (values.Length == 0)
        {
            return (0, 0);
        }

        mean /= values.Length;
        var variance = 0.0;
        foreach (var v in values)
        {
            variance += (v - mean) * (v - mean);
        }

        return (mean, Math.Sqrt(variance / values.Length));
    }

    /// <summary>Of the column <paramref name="column"/> of row-major <paramref name="data"/> with <paramref name="columns"/> columns (float values, double sums).</summary>
    public static (double Mean, double Sd) OfColumn(ReadOnlySpan<float> data, int columns, int column)
    {
        var rows = data.Length / columns;
        if (rows == 0)
        {
            return (0, 0);
        }

        var mean = 0.0;
        for (var i = 0; i < rows; i++)
        {
            mean += data[(i * columns) + column];
        }

        mean /= rows;
        var variance = 0.0;
        for (var i = 0; i < rows; i++)
        {
            var d = data[(i * columns) + column] - mean;
            variance += d * d;
        }

        return (mean, Math.Sqrt(variance / rows));
    }
}
