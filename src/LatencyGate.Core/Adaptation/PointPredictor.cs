using LatencyGate.Predictors;
using LatencyGate.Spaces;

namespace LatencyGate.Adaptation;

/// <summary>A predictor without its own uncertainty model: bounds equal the point value (wrap it in a conformal or ensemble predictor for intervals).</summary>
internal abstract class PointPredictor : ILatencyPredictor
{
    protected PointPredictor(OfaSpace space) => Space = space;

    public abstract string Description { get; }

    public OfaSpace Space { get; }

    public IntervalMethod IntervalMethod => IntervalMethod.None;

    public virtual void Predict(ReadOnlySpan<Arch> archs, Span<double> latencyMs)
    {
        for (var i = 0; i < archs.Length; i++)
        {
            latencyMs[i] = PredictOne(archs[i]);
        }
    }

    public void PredictWithInterval(ReadOnlySpan<Arch> archs, double confidence, Span<LatencyEstimate> estimates)
    {
        var point = new double[archs.Length];
        Predict(archs, point);
        for (var i = 0; i < archs.Length; i++)
        {
            estimates[i] = LatencyEstimate.Exact(point[i]);
        }
    }

    public abstract double PredictOne(Arch arch);
}
