namespace LatencyGate.Predictors.Intervals;

/// <summary>
/// The part of a <see cref="ConformalPredictor"/> that calibration produced: the sorted scores and the
/// calibration description. The inner predictor is stored by whoever stores the whole.
/// </summary>
internal static class ConformalPredictorCodec
{
    public static void Write(BinaryWriter writer, ConformalPredictor predictor)
    {
        writer.Write(predictor.CalibrationDescription);
        writer.Write(predictor.SortedScores.Count);
        foreach (var s in predictor.SortedScores)
        {
            writer.Write(s);
        }
    }

    /// <summary>Reads what <see cref="Write"/> wrote (<paramref name="readScores"/> reads the count-checked scores) and wraps <paramref name="inner"/>.</summary>
    public static ConformalPredictor Read(BinaryReader reader, Func<BinaryReader, double[]> readScores, Func<ILatencyPredictor> inner)
    {
        var description = reader.ReadString();
        var scores = readScores(reader);
        return new ConformalPredictor(inner(), scores, description);
    }
}
