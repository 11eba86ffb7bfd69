using LatencyGate.Predictors;
using LatencyGate.Spaces;

namespace LatencyGate.Tests.Search;

/// <summary>
/// A latency model shaped like a lookup table (a sum of per-block costs growing with kernel,
/// expand ratio and resolution), scaled per device; optional relative interval for confidence tests.
/// </summary>
internal sealed class AdditiveLatency(double scale, double intervalFraction = 0, bool monotone = true) : ILatencyPredictor
{
    public string Description => "additive test double";

    public OfaSpace Space => OfaSpace.W12;

    public IntervalMethod IntervalMethod => intervalFraction > 0 ? IntervalMethod.Conformal : IntervalMethod.None;

    public int Calls { get; private set; }

    public static double Raw(Arch a, bool monotone)
    {
        var r = a.Resolution / 224.0;
        var total = 2.0;
        for (var slot = 0; slot < Arch.SlotCount; slot++)
        {
            if (a.IsActive(slot))
            {
                total += (0.05 * a.KernelSizes[slot] * a.ExpandRatios[slot] * (1 + (slot / 4 * 0.3))) + 0.2;
            }
        }

        total *= r * r;

        // Non-monotone: the smallest net at the smallest resolution is penalised, as a learned predictor may do.
        if (!monotone && a.Resolution == 160 && a.ActiveBlockCount == 10)
        {
            total += 100;
        }

        return total;
    }

    public void Predict(ReadOnlySpan<Arch> archs, Span<double> latencyMs)
    {
        Calls++;
        for (var i = 0; i < archs.Length; i++)
        {
            latencyMs[i] = scale * Raw(archs[i], monotone);
        }
    }

    public void PredictWithInterval(ReadOnlySpan<Arch> archs, double confidence, Span<LatencyEstimate> estimates)
    {
        Calls++;
        for (var i = 0; i < archs.Length; i++)
        {
            var ms = scale * Raw(archs[i], monotone);
            estimates[i] = new LatencyEstimate(ms, ms * (1 - intervalFraction), ms * (1 + intervalFraction));
        }
    }
}

/// <summary>
/// An accuracy-like objective with diminishing returns and interactions (so the optimum under a
/// budget is not trivial); records every arch it scores and every batch size.
/// </summary>
internal sealed class RecordingObjective : IAccuracyObjective
{
    private readonly object _gate = new();

    public string Description => "recording test objective";

    public List<Arch> Scored { get; } = [];

    public List<int> BatchSizes { get; } = [];

    public static double Value(Arch a)
    {
        var v = 0.0;
        for (var slot = 0; slot < Arch.SlotCount; slot++)
        {
            if (a.IsActive(slot))
            {
                v += Math.Log(1 + (0.3 * a.ExpandRatios[slot])) * (slot % 3 == 0 ? 1.2 : 1.0) + (a.KernelSizes[slot] == 5 ? 0.15 : 0.05 * a.KernelSizes[slot] / 3);
            }
        }

        return 0.5 + (0.02 * v) + (0.1 * Math.Sqrt(a.Resolution / 224.0));
    }

    public void Score(ReadOnlySpan<Arch> archs, Span<double> scores)
    {
        lock (_gate)
        {
            BatchSizes.Add(archs.Length);
            foreach (var a in archs)
            {
                Scored.Add(a);
            }
        }

        for (var i = 0; i < archs.Length; i++)
        {
            scores[i] = Value(archs[i]);
        }
    }
}

/// <summary>Fast (10 ms) only at one resolution, slow (100 ms) elsewhere: feasible sets of two such devices never meet.</summary>
internal sealed class ResolutionBound(int fastResolution) : ILatencyPredictor
{
    public string Description => "resolution-bound test double";

    public OfaSpace Space => OfaSpace.W12;

    public IntervalMethod IntervalMethod => IntervalMethod.None;

    public void Predict(ReadOnlySpan<Arch> archs, Span<double> latencyMs)
    {
        for (var i = 0; i < archs.Length; i++)
        {
            latencyMs[i] = archs[i].Resolution == fastResolution ? 10 : 100;
        }
    }

    public void PredictWithInterval(ReadOnlySpan<Arch> archs, double confidence, Span<LatencyEstimate> estimates)
    {
        for (var i = 0; i < archs.Length; i++)
        {
            estimates[i] = LatencyEstimate.Exact(archs[i].Resolution == fastResolution ? 10 : 100);
        }
    }
}
