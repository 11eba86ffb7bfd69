using LatencyGate.Spaces;

namespace LatencyGate.Predictors.Intervals;

/// <summary>
/// The mean of several predictors (e.g. fitted on bootstrap resamples or with different seeds), with
/// an interval from their spread on a log scale: exp(mean ln ŷ ± t·sd·√(1+1/m)), a prediction
/// interval treating members as draws around the truth. Used where no held-out measurements exist.
/// </summary>
internal sealed class EnsemblePredictor : ILatencyPredictor
{
    private readonly ILatencyPredictor[] _members;

    public EnsemblePredictor(IReadOnlyList<ILatencyPredictor> members, string? description = null)
    {
        if (members.Count < 2)
        {
            throw new ArgumentException("an ensemble needs at least two members", nameof(members));
        }

        _members = members.ToArray();
        Description = description ?? $"ensemble of {_members.Length} × [{_members[0].Description}]";
    }

    public string Description { get; }

    public OfaSpace Space => _members[0].Space;

    public IntervalMethod IntervalMethod => IntervalMethod.EnsembleSpread;

    public IReadOnlyList<ILatencyPredictor> Members => _members;

    public void Predict(ReadOnlySpan<Arch> archs, Span<double> latencyMs)
    {
        var logs = MemberLogs(archs);
        for (var i = 0; i < archs.Length; i++)
        {
            latencyMs[i] = Math.Exp(Mean(logs, i));
        }
    }

    public void PredictWithInterval(ReadOnlySpan<Arch> archs, double confidence, Span<LatencyEstimate> estimates)
    {
        ConformalPredictor.CheckConfidence(confidence);
        var logs = MemberLogs(archs);
        var m = _members.Length;
        var t = MathNet.Numerics.Distributions.StudentT.InvCDF(0, 1, m - 1, 0.5 + (confidence / 2));
        for (var i = 0; i < archs.Length; i++)
        {
            var mean = Mean(logs, i);
            var ss = 0.0;
            for (var k = 0; k < m; k++)
            {
                ss += (logs[k][i] - mean) * (logs[k][i] - mean);
            }

            var half = t * Math.Sqrt(ss / (m - 1)) * Math.Sqrt(1 + (1.0 / m));
            estimates[i] = new LatencyEstimate(Math.Exp(mean), Math.Exp(mean - half), Math.Exp(mean + half));
        }
    }

    private double[][] MemberLogs(ReadOnlySpan<Arch> archs)
    {
        var logs = new double[_members.Length][];
        for (var k = 0; k < _members.Length; k++)
        {
            logs[k] = new double[archs.Length];
            _members[k].Predict(archs, logs[k]);
            for (var i = 0; i < archs.Length; i++)
            {
                logs[k][i] = Math.Log(Math.Max(logs[k][i], 1e-9));
            }
        }

        return logs;
    }

    private static double Mean(double[][] logs, int i)
    {
        var s = 0.0;
        foreach (var member in logs)
        {
            s += member[i];
        }

        return s / logs.Length;
    }
}
