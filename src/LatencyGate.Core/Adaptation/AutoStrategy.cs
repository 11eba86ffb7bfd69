using System.Globalization;
using System.Text;
using LatencyGate.Predictors;
using LatencyGate.Spaces;
using LatencyGate.Statistics;

namespace LatencyGate.Adaptation;

/// <summary>
/// Chooses a base and a strategy from the shots alone. Below 20 shots the base is the one whose
/// predictions rank the shots best (Spearman; ties keep the first offered); from 20 shots every
/// (base, strategy) pair is cross-validated. Each strategy that supports it is then scored by
/// cross-validation on the shots (leave-one-out up to 30 shots, else 5 folds; every fold refits the
/// strategy, including its own λ choice) and the lowest mean absolute error wins. With fewer than 3
/// shots there is nothing to cross-validate: affine (a pure rescale for one shot) is used, and the
/// report says so.
/// </summary>
internal sealed class AutoStrategy : IAdaptationStrategy
{
    private readonly IReadOnlyList<IAdaptationStrategy> _candidates;

    public AutoStrategy(IReadOnlyList<IAdaptationStrategy>? candidates = null) => _candidates = candidates ?? StrategyCatalog.Concrete;

    public string Name => "auto";

    public int MinimumShots => 1;

    public bool Supports(ILatencyPredictor basePredictor) => true;

    public ILatencyPredictor Adapt(ILatencyPredictor basePredictor, IReadOnlyList<LatencyShot> shots, ulong seed) =>
        Choose([basePredictor], shots, seed).Predictor;

    /// <summary>From this many shots auto cross-validates every (base, strategy) pair rather than ranking bases.</summary>
    public const int JointMinimumShots = 20;

    public AutoChoice Choose(IReadOnlyList<ILatencyPredictor> bases, IReadOnlyList<LatencyShot> shots, ulong seed)
    {
        StrategyGuards.RequireShots(this, shots);
        var archs = shots.Select(s => s.Arch).ToArray();
        var measured = shots.Select(s => s.LatencyMs).ToArray();
        var baseScores = new List<BaseScore>();
        foreach (var b in bases)
        {
            var predicted = b.PredictAll(archs);
            var rho = shots.Count >= 2 ? RankCorrelation.Spearman(predicted, measured) : double.NaN;
            baseScores.Add(new BaseScore(b.Description, double.IsNaN(rho) ? 0 : rho));
        }

        var bestBase = 0;
        for (var i = 1; i < bases.Count; i++)
        {
            if (baseScores[i].Spearman > baseScores[bestBase].Spearman)
            {
                bestBase = i;
            }
        }

        var chosenBase = bases[bestBase];
        var scores = new List<StrategyScore>();
        if (shots.Count < 3)
        {
            var affine = new AffineStrategy();
            return new AutoChoice(
                affine.Adapt(chosenBase, shots, seed),
                affine.Name,
                bestBase,
                baseScores,
                scores,
                string.Create(CultureInfo.InvariantCulture, $"{shots.Count} shot(s) are too few to cross-validate; used affine ({(shots.Count == 1 ? "a pure rescale" : "scale and offset")})"));
        }

        var folds = StrategyGuards.Folds(shots.Count, seed);
        var foldCount = folds.Max() + 1;

        // With enough shots the base is chosen by cross-validation too (jointly with the strategy);
        // below that, a CV error over a handful of folds is noisier than the rank correlation.
        var joint = bases.Count > 1 && shots.Count >= JointMinimumShots;
        var candidateBases = joint ? Enumerable.Range(0, bases.Count).ToArray() : [bestBase];
        var best = (Base: bestBase, Score: (StrategyScore?)null);
        foreach (var b in candidateBases)
        {
            foreach (var strategy in _candidates.Where(s => s.Supports(bases[b]) && s.MinimumShots <= shots.Count - 1))
            {
                var score = new StrategyScore(joint ? $"{strategy.Name} on base {b}" : strategy.Name, CvError(strategy, bases[b], shots, folds, seed), strategy.Name, b);
                scores.Add(score);
                if (best.Score is null || score.CvMaeMs < best.Score.CvMaeMs)
                {
                    best = (b, score);
                }
            }
        }

        var winner = best.Score!;
        bestBase = best.Base;
        chosenBase = bases[bestBase];
        var chosen = _candidates.First(s => s.Name == winner.Strategy);
        var why = new StringBuilder();
        why.Append(CultureInfo.InvariantCulture, $"{winner.Strategy} had the lowest cross-validated MAE ({winner.CvMaeMs:F4} ms over {foldCount} folds of {shots.Count} shots)");
        if (joint)
        {
            why.Append(CultureInfo.InvariantCulture, $" with base {bestBase} ({bases[bestBase].Description}), base and strategy chosen together");
        }
        else if (bases.Count > 1)
        {
            why.Append(CultureInfo.InvariantCulture, $" on base {bestBase} ({bases[bestBase].Description}), the best rank correlation with the shots (Spearman {baseScores[bestBase].Spearman:F4})");
        }

        foreach (var s in scores.Where(s => s != winner))
        {
            why.Append(CultureInfo.InvariantCulture, $"; {s.Label} {s.CvMaeMs:F4} ms");
        }

        return new AutoChoice(chosen.Adapt(chosenBase, shots, seed), winner.Strategy, bestBase, baseScores, scores, why.ToString());
    }

    private static double CvError(IAdaptationStrategy strategy, ILatencyPredictor basePredictor, IReadOnlyList<LatencyShot> shots, int[] folds, ulong seed)
    {
        var foldCount = folds.Max() + 1;
        var error = 0.0;
        for (var f = 0; f < foldCount; f++)
        {
            var train = new List<LatencyShot>();
            var test = new List<LatencyShot>();
            for (var i = 0; i < shots.Count; i++)
            {
                (folds[i] == f ? test : train).Add(shots[i]);
            }

            var adapted = strategy.Adapt(basePredictor, train, seed + (ulong)f);
            var predicted = adapted.PredictAll(test.Select(s => s.Arch).ToArray());
            for (var i = 0; i < test.Count; i++)
            {
                error += Math.Abs(predicted[i] - test[i].LatencyMs);
            }
        }

        return error / shots.Count;
    }
}

/// <summary>What auto chose, and why: the base index, every base's Spearman on the shots, every strategy's CV error.</summary>
internal sealed record AutoChoice(
    ILatencyPredictor Predictor,
    string Strategy,
    int BaseIndex,
    IReadOnlyList<BaseScore> Bases,
    IReadOnlyList<StrategyScore> Strategies,
    string Reason)
{
    public double CvMaeMs => Strategies.FirstOrDefault(s => s.Strategy == Strategy && s.BaseIndex == BaseIndex)?.CvMaeMs ?? double.NaN;
}

internal sealed record BaseScore(string Description, double Spearman);

internal sealed record StrategyScore(string Label, double CvMaeMs, string Strategy, int BaseIndex);
