using System.Globalization;

namespace LatencyGate.Predictors;

/// <summary>
/// Whether <c>fit</c>'s own evaluation of a model supports using it (LG0158, docs/diagnostics.md): an mlp
/// fitted on 20 rows was written with a held-out Spearman of −0.50 and no word that it ranks archs
/// worse than chance. The evaluation is weak when its Spearman is below <see cref="MinSpearman"/> (or
/// cannot be computed), or when it rests on fewer than <see cref="MinEvaluatedArchs"/> archs, too few
/// for any figure from them to mean much.
/// </summary>
internal static class FitEvaluationCheck
{
    /// <summary>Below this rank correlation a model orders archs little better than at random.</summary>
    public const double MinSpearman = 0.5;

    /// <summary>Fewer archs than this (held out, or cross-validated over) make an evaluation too noisy to trust.</summary>
    public const int MinEvaluatedArchs = 10;

    /// <summary>
    /// The warning's text, or null when the evaluation is sound. <paramref name="space"/>,
    /// <paramref name="data"/> and <paramref name="output"/> make the commands it suggests runnable.
    /// </summary>
    public static string? Warning(LatencyFitResult result, string model, string space, string data, string output)
    {
        ArgumentNullException.ThrowIfNull(result);
        var evaluated = result.CrossValidated ? result.TrainCount : result.ValidationCount;
        var spearman = result.Validation?.Spearman ?? double.NaN;
        var fewArchs = evaluated < MinEvaluatedArchs;
        var poorRank = !double.IsFinite(spearman) || spearman < MinSpearman;
        if (!fewArchs && !poorRank)
        {
            return null;
        }

        var what = result.CrossValidated ? "cross-validated over" : "held out";
        var finding = (double.IsFinite(spearman), poorRank, fewArchs) switch
        {
            (false, _, _) => string.Create(CultureInfo.InvariantCulture, $"the fit could not be evaluated ({evaluated} archs {what}, no Spearman)"),
            (true, true, true) => string.Create(CultureInfo.InvariantCulture, $"the fit's Spearman is {spearman:0.00} on only {evaluated} archs {what} (below {MinSpearman:0.0}, and fewer than {MinEvaluatedArchs} archs)"),
            (true, true, false) => string.Create(CultureInfo.InvariantCulture, $"the fit's Spearman is {spearman:0.00} on {evaluated} archs {what} (below {MinSpearman:0.0}): it ranks archs little better than chance"),
            _ => string.Create(CultureInfo.InvariantCulture, $"the fit's Spearman of {spearman:0.00} rests on only {evaluated} archs {what} (fewer than {MinEvaluatedArchs}), too few to trust"),
        };
        var adapt = $"adapt a base predictor instead, which needs far fewer rows (`dotnet latency-gate fit --space {space} --data {data} --base BASE --strategy auto --out {output}`, BASE a predictor of a similar device, its OFA lookup tables, builtin:note10 or builtin:macs)";
        var advice = model == LatencyModelKind.Additive.Name()
            ? $"measure more archs (`dotnet latency-gate sample`, then `measure`), or {adapt}"
            : $"an {model} needs hundreds of measured archs: measure more, fit the additive model, which is cross-validated over every row (`dotnet latency-gate fit --space {space} --data {data} --model additive --out {output}`), or {adapt}";
        return $"{finding}; do not gate on this predictor as it is: {advice}";
    }
}
