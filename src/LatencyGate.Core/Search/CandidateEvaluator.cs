using LatencyGate.Diagnostics;
using LatencyGate.Predictors;
using LatencyGate.Spaces;

namespace LatencyGate.Search;

/// <summary>
/// Latency and objective of candidate archs for one search worker, batched and cached by arch
/// (canonical equality), so an arch met again is never predicted or scored again. One instance
/// per worker: not thread-safe itself, but it may fan objective batches out in fixed-size chunks,
/// which keeps results independent of the thread count.
/// </summary>
internal sealed class CandidateEvaluator
{
    // Fixed so that the batches the objective sees do not depend on the degree of parallelism.
    private const int ScoreChunk = 64;

    private readonly LatencyConstraint[] _constraints;
    private readonly double? _confidence;
    private readonly IAccuracyObjective _objective;
    private readonly int _innerParallelism;
    private readonly Dictionary<Arch, LatencyRecord> _latency = [];
    private readonly Dictionary<Arch, double> _scores = [];

    public CandidateEvaluator(IReadOnlyList<LatencyConstraint> constraints, double? confidence, IAccuracyObjective objective, int innerParallelism)
    {
        _constraints = [.. constraints];
        _confidence = confidence;
        _objective = objective;
        _innerParallelism = Math.Max(1, innerParallelism);
    }

    public IReadOnlyList<LatencyConstraint> Constraints => _constraints;

    /// <summary>Distinct archs scored by the objective so far.</summary>
    public int ScoreEvaluations => _scores.Count;

    /// <summary>Distinct archs whose latency was predicted so far.</summary>
    public int LatencyEvaluations => _latency.Count;

    public LatencyRecord Latency(Arch arch)
    {
        if (!_latency.TryGetValue(arch, out var record))
        {
            EnsureLatency([arch]);
            record = _latency[arch];
        }

        return record;
    }

    public bool Fits(Arch arch) => Fits(Latency(arch));

    public bool Fits(LatencyRecord record)
    {
        for (var d = 0; d < _constraints.Length; d++)
        {
            // A latency that is not positive (a broken predictor) never fits, however small it is.
            if (!(record.ConstrainedMs[d] <= _constraints[d].BudgetMs && record.Ms[d] > 0 && record.ConstrainedMs[d] > 0))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Predicts, in one batch per device, the latency of every arch not seen before.</summary>
    public void EnsureLatency(ReadOnlySpan<Arch> archs)
    {
        var missing = new List<Arch>();
        var seen = new HashSet<Arch>();
        foreach (var a in archs)
        {
            if (!_latency.ContainsKey(a) && seen.Add(a))
            {
                missing.Add(a);
            }
        }

        if (missing.Count == 0)
        {
            return;
        }

        var batch = missing.ToArray();
        var point = new double[_constraints.Length][];
        var upper = new double[_constraints.Length][];
        for (var d = 0; d < _constraints.Length; d++)
        {
            point[d] = new double[batch.Length];
            upper[d] = new double[batch.Length];
            if (_confidence is { } confidence)
            {
                var estimates = new LatencyEstimate[batch.Length];
                _constraints[d].Predictor.PredictWithInterval(batch, confidence, estimates);
                for (var i = 0; i < batch.Length; i++)
                {
                    point[d][i] = estimates[i].Ms;
                    upper[d][i] = estimates[i].UpperMs;
                }
            }
            else
            {
                _constraints[d].Predictor.Predict(batch, point[d]);
                point[d].CopyTo(upper[d], 0);
            }
        }

        for (var i = 0; i < batch.Length; i++)
        {
            var ms = new double[_constraints.Length];
            var up = new double[_constraints.Length];
            for (var d = 0; d < _constraints.Length; d++)
            {
                ms[d] = point[d][i];
                up[d] = upper[d][i];
            }

            _latency[batch[i]] = new LatencyRecord(ms, up);
        }
    }

    /// <summary>Objective scores of <paramref name="archs"/>; only archs never scored before reach the objective.</summary>
    public void Score(ReadOnlySpan<Arch> archs, Span<double> scores)
    {
        var missing = new List<Arch>();
        var seen = new HashSet<Arch>();
        foreach (var a in archs)
        {
            if (!_scores.ContainsKey(a) && seen.Add(a))
            {
                missing.Add(a);
            }
        }

        if (missing.Count > 0)
        {
            var batch = missing.ToArray();
            var values = new double[batch.Length];
            var chunks = (batch.Length + ScoreChunk - 1) / ScoreChunk;
            if (chunks > 1 && _innerParallelism > 1)
            {
                UserErrors.Rethrowing(() => Parallel.For(0, chunks, new ParallelOptions { MaxDegreeOfParallelism = _innerParallelism }, c => ScoreChunkAt(batch, values, c)));
            }
            else
            {
                for (var c = 0; c < chunks; c++)
                {
                    ScoreChunkAt(batch, values, c);
                }
            }

            for (var i = 0; i < batch.Length; i++)
            {
                _scores[batch[i]] = values[i];
            }
        }

        for (var i = 0; i < archs.Length; i++)
        {
            scores[i] = _scores[archs[i]];
        }
    }

    public double Score(Arch arch)
    {
        Span<double> one = stackalloc double[1];
        Score([arch], one);
        return one[0];
    }

    public ScoredArch Describe(Arch arch)
    {
        var record = Latency(arch);
        var latencies = new DeviceLatency[_constraints.Length];
        for (var d = 0; d < _constraints.Length; d++)
        {
            latencies[d] = new DeviceLatency(_constraints[d].Device, _constraints[d].BudgetMs, record.Ms[d], record.ConstrainedMs[d]);
        }

        return new ScoredArch(arch, Score(arch), latencies);
    }

    private void ScoreChunkAt(Arch[] batch, double[] values, int chunk)
    {
        var start = chunk * ScoreChunk;
        var length = Math.Min(ScoreChunk, batch.Length - start);
        _objective.Score(batch.AsSpan(start, length), values.AsSpan(start, length));
    }
}

/// <summary>Per constrained device: the point prediction and the value the budget applies to (upper bound or point).</summary>
internal sealed record LatencyRecord(double[] Ms, double[] ConstrainedMs);
