using LatencyGate.Predictors;
using LatencyGate.Spaces;

namespace LatencyGate.Adaptation;

internal static class PredictorExtensions
{
    public static double[] PredictAll(this ILatencyPredictor predictor, IReadOnlyList<Arch> archs)
    {
        var a = archs as Arch[] ?? archs.ToArray();
        var result = new double[a.Length];
        predictor.Predict(a, result);
        return result;
    }

    public static double PredictOne(this ILatencyPredictor predictor, Arch arch)
    {
        if (predictor is PointPredictor p)
        {
            return p.PredictOne(arch);
        }

        Span<double> one = stackalloc double[1];
        predictor.Predict([arch], one);
        return one[0];
    }
}
