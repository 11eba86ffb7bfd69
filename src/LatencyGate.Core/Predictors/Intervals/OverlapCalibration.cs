using System.Globalization;

namespace LatencyGate.Predictors.Intervals;

/// <summary>
/// Conformity scores when some calibration archs were among the base predictor's training archs.
/// A base predicts the archs it was trained on better than new ones, so their scores understate the
/// error on new archs and intervals built on them under-cover (on HELP's GPUs, 26–56 % coverage of
/// a 90 % interval). The scores of archs the base may have seen are set aside; with fewer than
/// <see cref="MinimumUnseen"/> left, every score is kept but multiplied by <see cref="Widening"/>
/// (the log-scale half-width doubled) and the caller warns.
/// </summary>
internal static class OverlapCalibration
{
    public const int MinimumUnseen = 10;

    public const double Widening = 2.0;

    /// <summary>The scores to calibrate on, what they are, and a warning when they had to be widened.</summary>
    public static (IReadOnlyList<double> Scores, string Description, string? Warning) Select(
        IReadOnlyList<double> predicted, IReadOnlyList<double> measured, IReadOnlyList<bool> seenByBase, string what, string rows)
    {
        var unseen = Enumerable.Range(0, predicted.Count).Where(i => !seenByBase[i]).ToArray();
        var seen = predicted.Count - unseen.Length;
        if (seen == 0)
        {
            return (ConformalPredictor.Scores(predicted, measured).ToArray(), string.Create(CultureInfo.InvariantCulture, $"{what} on {predicted.Count} {rows}"), null);
        }

        if (unseen.Length >= MinimumUnseen)
        {
            var scores = ConformalPredictor.Scores(unseen.Select(i => predicted[i]).ToArray(), unseen.Select(i => measured[i]).ToArray()).ToArray();
            return (scores, string.Create(CultureInfo.InvariantCulture, $"{what} on the {unseen.Length} {rows} the base was not trained on ({seen} of its training archs set aside)"), null);
        }

        var widened = ConformalPredictor.Scores(predicted, measured).Select(s => s * Widening).ToArray();
        return (
            widened,
            string.Create(CultureInfo.InvariantCulture, $"{what} on {predicted.Count} {rows}, {seen} of them among the base's training archs: widened ×{Widening} on the log scale"),
            string.Create(CultureInfo.InvariantCulture, $"{seen} of the {predicted.Count} calibration measurements are archs the base was trained on, and only {unseen.Length} are not (at least {MinimumUnseen} are needed to calibrate on those alone): the base predicts its own training archs too well, so the intervals were widened ×{Widening} on the log scale and their coverage is not guaranteed; measure archs outside the base's training set"));
    }
}
