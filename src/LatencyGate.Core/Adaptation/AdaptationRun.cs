using System.Globalization;
using LatencyGate.Diagnostics;
using LatencyGate.Predictors;
using LatencyGate.Predictors.Intervals;
using LatencyGate.Randomness;
using LatencyGate.Spaces;

namespace LatencyGate.Adaptation;

/// <summary>
/// <c>fit --base FILE --strategy NAME --shots K</c> as a host-free call: draws K shots (seeded) from the
/// measurements, adapts the base(s), calibrates conformal intervals on the measurements that were not
/// shots (or cross-conformal on the shots when all were used), and says what it did.
/// <see cref="AdaptedPredictorFile"/> stores <see cref="AdaptationOutcome.WithIntervals"/> as it is,
/// whatever strategy won.
/// </summary>
internal static class AdaptationRun
{
    /// <summary>The seeded order of the measurements: the first K are the shots, the rest are held out (reports recompute it).</summary>
    public static int[] ShotOrder(int count, ulong seed)
    {
        var order = Enumerable.Range(0, count).ToArray();
        new SeededRandom(seed).Shuffle(order.AsSpan());
        return order;
    }

    /// <summary>
    /// A base whose own prediction of a measured arch is not a positive finite latency (broken
    /// weights) cannot be adapted: the solvers would meet infinities. LG0043, naming the base.
    /// </summary>
    private static void RequireUsableBases(IReadOnlyList<ILatencyPredictor> bases, IReadOnlyList<(Arch Arch, double LatencyMs)> measurements)
    {
        var archs = measurements.Select(m => m.Arch).ToArray();
        var predicted = new double[archs.Length];
        foreach (var basePredictor in bases)
        {
            basePredictor.Predict(archs, predicted);
            var bad = Array.FindIndex(predicted, ms => !(ms > 0 && double.IsFinite(ms)));
            if (bad >= 0)
            {
                throw new LatencyGateException(
                    InputErrors.PredictedLatencyInvalid,
                    string.Create(CultureInfo.InvariantCulture, $"the base predictor ({basePredictor.Description}) gives {predicted[bad]:G6} ms for the measured arch {archs[bad].CanonicalKey}: not a positive finite latency, so it cannot be adapted; check the base's weights"));
            }
        }
    }

    /// <remarks>
    /// <paramref name="cancellationToken"/> is checked between the steps (choice, calibration); a
    /// step itself is short next to them (the host ends any remainder within its grace period).
    /// </remarks>
    public static AdaptationOutcome Run(IReadOnlyList<ILatencyPredictor> bases, IReadOnlyList<(Arch Arch, double LatencyMs)> measurements, string strategyName, int? shots, ulong seed, ITrainingEngine? engine = null, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var strategy = StrategyCatalog.Get(strategyName, null, engine);
        if (measurements.Count < 2)
        {
            // One arch leaves nothing to calibrate the interval on: its half-width would be infinite,
            // and every prediction of the adapted file would then be refused (LG0043).
            throw new LatencyGateException(
                AdaptationErrors.TooFewShots,
                string.Create(CultureInfo.InvariantCulture, $"the measurements hold {measurements.Count} distinct arch(s); adapting needs at least 2, so that the prediction interval is calibrated on an arch the adaptation did not see"));
        }

        RequireUsableBases(bases, measurements);
        var order = ShotOrder(measurements.Count, seed);
        var k = Math.Min(shots ?? measurements.Count, measurements.Count);
        var shotSet = order.Take(k).Select(i => new LatencyShot(measurements[i].Arch, measurements[i].LatencyMs)).ToArray();
        var heldOut = order.Skip(k).ToArray();
        var lines = new List<string>
        {
            string.Create(CultureInfo.InvariantCulture, $"{k} shot(s) drawn (seed {seed}) from {measurements.Count} measurements; {heldOut.Length} kept for calibration and evaluation"),
        };

        // Asking for more shots than there are measurements is not an error (every measurement is
        // used), but it silently drops the held-out set that evaluates the adaptation: say so.
        string? shotsWarning = shots > measurements.Count
            ? string.Create(CultureInfo.InvariantCulture, $"{shots} shots asked for, but the measurements hold {measurements.Count} distinct archs: all {measurements.Count} are shots and none is held out, so nothing evaluates the adaptation and its intervals are cross-conformal on the shots; measure more archs or ask for fewer shots")
            : null;
        if (shotsWarning is not null)
        {
            lines.Add(ShotsWarningNote + shotsWarning);
        }

        ILatencyPredictor adapted;
        string chosenStrategy;
        int baseIndex;
        IReadOnlyList<int> usedBases;
        Func<IReadOnlyList<LatencyShot>, ulong, ILatencyPredictor> refit;
        int minimumShots;
        if (strategy is AutoStrategy auto)
        {
            var choice = auto.Choose(bases, shotSet, seed);
            adapted = choice.Predictor;
            chosenStrategy = choice.Strategy;
            baseIndex = choice.BaseIndex;
            usedBases = choice.BaseIndices;
            refit = choice.Refit;
            minimumShots = choice.IsEnsemble ? 1 : StrategyCatalog.Get(choice.Strategy, null, engine).MinimumShots;
            lines.Add(choice.IsEnsemble
                ? $"auto chose {choice.Strategy} over all {bases.Count} bases: {choice.Reason}"
                : $"auto chose {choice.Strategy} on base {choice.BaseIndex} ({bases[choice.BaseIndex].Description}): {choice.Reason}");
            foreach (var (b, i) in choice.Bases.Select((b, i) => (b, i)))
            {
                lines.Add(string.Create(CultureInfo.InvariantCulture, $"  base {i}: Spearman on the shots {b.Spearman:F4} ({b.Description})"));
            }
        }
        else
        {
            baseIndex = 0;
            usedBases = [0];
            refit = (train, s) => strategy.Adapt(bases[0], train, s);
            minimumShots = strategy.MinimumShots;
            adapted = strategy.Adapt(bases[0], shotSet, seed);
            chosenStrategy = strategy.Name;
            // Most descriptions already start with the strategy's name; say it once.
            lines.Add(adapted.Description.StartsWith(strategy.Name + ":", StringComparison.Ordinal) ? adapted.Description : $"{strategy.Name}: {adapted.Description}");
        }

        if (adapted is AdaptedPredictor { Scale: 0, Correction: not null, Base: var zeroWeighted })
        {
            // Adapted "from" a base that no longer moves a prediction: the user must not read it as that base's ranking.
            lines.Add($"note: the shots rank the archs better without the base, so adaproxy weighted it at zero: the predictor is its per-operator model alone (MACs, activation and weight bytes, operator counts), and the base ({zeroWeighted.Description}) does not move its predictions");
        }

        cancellationToken.ThrowIfCancellationRequested();
        // Archs a base was trained on (its file lists them) make over-optimistic calibration scores.
        var trainingSets = usedBases.Select(i => bases[i]).OfType<LearnedLatencyPredictor>().Select(b => b.TrainingArchs).OfType<ArchSetFilter>().ToArray();
        Func<Arch, bool>? seenByBase = trainingSets.Length == 0 ? null : a => trainingSets.Any(f => f.MayContain(a));
        ConformalPredictor withIntervals;
        LatencyMetrics? evaluation = null;
        string? warning = null;
        if (heldOut.Length > 0)
        {
            var archs = heldOut.Select(i => measurements[i].Arch).ToArray();
            var measured = heldOut.Select(i => measurements[i].LatencyMs).ToArray();
            var predicted = adapted.PredictAll(archs);
            var seen = archs.Select(a => seenByBase?.Invoke(a) ?? false).ToArray();
            (var scores, var description, warning) = OverlapCalibration.Select(predicted, measured, seen, "split-conformal", "held-out measurements");
            withIntervals = new ConformalPredictor(adapted, scores, description);
            var unseen = Enumerable.Range(0, archs.Length).Where(i => !seen[i]).ToArray();
            var evaluated = unseen.Length >= OverlapCalibration.MinimumUnseen ? unseen : Enumerable.Range(0, archs.Length).ToArray();
            evaluation = LatencyMetrics.Compute(evaluated.Select(i => predicted[i]).ToArray(), evaluated.Select(i => measured[i]).ToArray());
            var which = evaluated.Length == archs.Length ? $"the {archs.Length} measurements not used as shots" : $"the {evaluated.Length} measurements neither used as shots nor among the base's training archs";
            lines.Add(string.Create(CultureInfo.InvariantCulture, $"on {which}: MAE {evaluation.MaeMs:F4} ms, MAPE {evaluation.MapePct:F2} %, Spearman {evaluation.Spearman:F4}"));
        }
        else
        {
            (withIntervals, warning) = CrossConformal.Adapt(refit, minimumShots, shotSet, seed, seenByBase);
        }

        cancellationToken.ThrowIfCancellationRequested();
        if (warning is not null)
        {
            lines.Add("warning: " + warning);
        }

        lines.Add(string.Create(CultureInfo.InvariantCulture, $"intervals: {withIntervals.CalibrationDescription}; 90 % half-width ×{Math.Exp(withIntervals.HalfWidth(0.9)):F4}, 95 % ×{Math.Exp(withIntervals.HalfWidth(0.95)):F4}"));

        return new AdaptationOutcome(adapted, withIntervals, chosenStrategy, baseIndex, usedBases, shotSet.Length, evaluation, lines) { Warning = warning, ShotsWarning = shotsWarning };
    }

    /// <summary>How the LG0206 warning is marked among the report lines (cached adaptations keep only their lines).</summary>
    internal const string ShotsWarningNote = "warning LG0206: ";
}

/// <summary>
/// What <see cref="AdaptationRun.Run"/> produced. <see cref="UsedBases"/> are the bases the predictor
/// references (one, or all of them for a library ensemble); <see cref="BaseIndex"/> is the
/// best-ranked base, the one adapted unless the ensemble was chosen.
/// </summary>
internal sealed record AdaptationOutcome(
    ILatencyPredictor Predictor,
    ConformalPredictor WithIntervals,
    string Strategy,
    int BaseIndex,
    IReadOnlyList<int> UsedBases,
    int Shots,
    LatencyMetrics? HeldOut,
    IReadOnlyList<string> Report)
{
    /// <summary>Set when the intervals could not be calibrated on archs the base never saw and were widened instead.</summary>
    public string? Warning { get; init; }

    /// <summary>Set when more shots were asked for than there are measurements (LG0206).</summary>
    public string? ShotsWarning { get; init; }
}
