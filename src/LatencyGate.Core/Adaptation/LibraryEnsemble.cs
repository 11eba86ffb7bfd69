using System.Globalization;
using LatencyGate.Predictors;
using LatencyGate.Spaces;

namespace LatencyGate.Adaptation;

/// <summary>How the members of a <see cref="LibraryEnsemble"/> are weighted.</summary>
internal enum EnsembleWeighting
{
    /// <summary>Every adapted base counts the same.</summary>
    Equal,

    /// <summary>Weights ∝ 1 / (out-of-fold mean squared log error of the adapted base on the shots).</summary>
    InverseCvError,

    /// <summary>
    /// Pseudo-Bayesian model averaging on the out-of-fold errors: weights ∝ exp(elpd), the Gaussian
    /// log predictive density of the out-of-fold log errors, i.e. ∝ MSEᵢ^(−n/2) over n shots. Near
    /// equal when a few shots cannot tell the bases apart, a selection of the best base when many can.
    /// </summary>
    PseudoBma,
}

/// <summary>
/// A library of bases used as an ensemble: every base is adapted to the shots on its own (by one
/// strategy, adaproxy in auto), and the prediction is the weighted geometric mean of the adapted
/// predictions. Unlike <see cref="BlendedBase"/>, which blends the raw bases and adapts the blend once,
/// each source device gets its own scale and per-operator correction, so what one device gets wrong
/// and the shots can correct is corrected per device before averaging; what the shots cannot correct
/// (each device's idiosyncratic residual shape) is averaged out. Picking one base from 10 shots is a
/// noisy choice; averaging the adapted bases avoids making it.
/// </summary>
internal static class LibraryEnsemble
{
    /// <summary>The strategy name an ensemble reports (what <c>auto</c> says it chose).</summary>
    public const string StrategyName = "adaproxy-ensemble";

    public static LibraryEnsemblePredictor Fit(
        IAdaptationStrategy strategy,
        IReadOnlyList<ILatencyPredictor> bases,
        IReadOnlyList<LatencyShot> shots,
        ulong seed,
        EnsembleWeighting weighting = EnsembleWeighting.Equal)
    {
        StrategyGuards.RequireShots(strategy, shots);
        var members = bases.Select(b => strategy.Adapt(b, shots, seed)).ToArray();
        double[] weights;
        if (weighting != EnsembleWeighting.Equal && shots.Count >= 3)
        {
            var folds = StrategyGuards.Folds(shots.Count, seed, looLimit: AutoStrategy.OuterLooLimit);
            var outOfFold = bases.Select(b => OutOfFold(strategy, b, shots, folds, seed)).ToArray();
            weights = Weights(outOfFold, shots.Select(s => s.LatencyMs).ToArray(), weighting, _ => true);
        }
        else
        {
            weights = Weights([.. bases.Select(_ => Array.Empty<double>())], [], EnsembleWeighting.Equal, _ => true);
        }

        return new LibraryEnsemblePredictor(members, weights);
    }

    /// <summary>
    /// Normalized member weights from the members' out-of-fold predictions of the shots for which
    /// <paramref name="include"/> holds (auto leaves a fold's shots out of the weighting it scores them with).
    /// </summary>
    internal static double[] Weights(double[][] outOfFold, double[] measured, EnsembleWeighting weighting, Func<int, bool> include)
    {
        var weights = new double[outOfFold.Length];
        if (weighting == EnsembleWeighting.Equal)
        {
            Array.Fill(weights, 1.0 / weights.Length);
            return weights;
        }

        var n = 0;
        var mse = new double[outOfFold.Length];
        for (var j = 0; j < measured.Length; j++)
        {
            if (!include(j))
            {
                continue;
            }

            n++;
            for (var i = 0; i < outOfFold.Length; i++)
            {
                var e = Math.Log(measured[j] / Math.Max(outOfFold[i][j], 1e-9));
                mse[i] += e * e;
            }
        }

        for (var i = 0; i < mse.Length; i++)
        {
            // A floor keeps a base that happens to fit a handful of shots perfectly from taking all the weight.
            mse[i] = Math.Max(mse[i] / Math.Max(n, 1), 1e-6);
        }

        if (weighting == EnsembleWeighting.InverseCvError)
        {
            for (var i = 0; i < weights.Length; i++)
            {
                weights[i] = 1 / mse[i];
            }
        }
        else
        {
            // exp(−n/2 · ln MSEᵢ), shifted by the best base's so the largest term is 1 (no overflow).
            var best = mse.Min();
            for (var i = 0; i < weights.Length; i++)
            {
                weights[i] = Math.Exp(-0.5 * n * Math.Log(mse[i] / best));
            }
        }

        var total = weights.Sum();
        for (var i = 0; i < weights.Length; i++)
        {
            weights[i] /= total;
        }

        return weights;
    }

    /// <summary>Each shot's prediction from the fold that did not see it (<see cref="Adaptation.OutOfFold"/>).</summary>
    internal static double[] OutOfFold(IAdaptationStrategy strategy, ILatencyPredictor basePredictor, IReadOnlyList<LatencyShot> shots, int[] folds, ulong seed) =>
        Adaptation.OutOfFold.Predict((train, s) => strategy.Adapt(basePredictor, train, s), shots, folds, seed);
}

/// <summary>The weighted geometric mean of several adapted predictors (see <see cref="LibraryEnsemble"/>).</summary>
internal sealed class LibraryEnsemblePredictor : PointPredictor
{
    private readonly ILatencyPredictor[] _members;
    private readonly double[] _weights;

    public LibraryEnsemblePredictor(IReadOnlyList<ILatencyPredictor> members, IReadOnlyList<double> weights)
        : base(members[0].Space)
    {
        if (members.Count != weights.Count || members.Count == 0)
        {
            throw new ArgumentException("one weight per member, at least one member", nameof(weights));
        }

        _members = members.ToArray();
        _weights = weights.ToArray();
    }

    public IReadOnlyList<ILatencyPredictor> Members => _members;

    public IReadOnlyList<double> Weights => _weights;

    public override string Description =>
        LibraryEnsemble.StrategyName + ": geometric mean of " + string.Join(", ", _members.Select((m, i) => string.Create(CultureInfo.InvariantCulture, $"[{m.Description}] (w={_weights[i]:F3})")));

    public override void Predict(ReadOnlySpan<Arch> archs, Span<double> latencyMs)
    {
        // Member by member (each may batch its own work), accumulating the weighted log in order so
        // the result does not depend on how the archs were split.
        var log = new double[archs.Length];
        var buffer = new double[archs.Length];
        for (var k = 0; k < _members.Length; k++)
        {
            _members[k].Predict(archs, buffer);
            for (var i = 0; i < archs.Length; i++)
            {
                log[i] += _weights[k] * Math.Log(Math.Max(buffer[i], 1e-9));
            }
        }

        for (var i = 0; i < archs.Length; i++)
        {
            latencyMs[i] = Math.Exp(log[i]);
        }
    }

    public override double PredictOne(Arch arch)
    {
        Span<double> one = stackalloc double[1];
        Predict([arch], one);
        return one[0];
    }
}
