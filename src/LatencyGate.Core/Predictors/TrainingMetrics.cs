namespace LatencyGate.Predictors;

/// <summary>
/// The <c>training_metrics</c> of a predictor file (docs/weight-files.md): part of the file format,
/// so the keys are written in this one place, in this order, whichever host fits. No wall time:
/// the same data and seed must give the same file bytes.
/// </summary>
internal static class TrainingMetrics
{
    public const string TrainCount = "train_count";
    public const string ValidationCount = "validation_count";
    public const string ValidationMaeMs = "validation_mae_ms";
    public const string ValidationRmseMs = "validation_rmse_ms";
    public const string ValidationMapePct = "validation_mape_pct";
    public const string ValidationSpearman = "validation_spearman";
    public const string CrossValidated = "cross_validated";
    public const string AdditiveLambda = "additive_lambda";
    public const string AdditiveForm = "additive_form";
    public const string EpochsRun = "epochs_run";
    public const string BestEpoch = "best_epoch";
    public const string Shots = "shots";
    public const string HeldOutMaeMs = "heldout_mae_ms";
    public const string HeldOutMapePct = "heldout_mape_pct";
    public const string HeldOutSpearman = "heldout_spearman";

    /// <summary>What <c>fit</c> records about a fit from measurements.</summary>
    public static Dictionary<string, double> Of(LatencyFitResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var metrics = new Dictionary<string, double>
        {
            [TrainCount] = result.TrainCount,
            [ValidationCount] = result.ValidationCount,
        };
        if (result.Validation is { } v)
        {
            metrics[ValidationMaeMs] = v.MaeMs;
            metrics[ValidationRmseMs] = v.RmseMs;
            metrics[ValidationMapePct] = v.MapePct;
            metrics[ValidationSpearman] = v.Spearman;
            metrics[CrossValidated] = result.CrossValidated ? 1 : 0;
        }

        if (result.Additive is { } additive)
        {
            metrics[AdditiveLambda] = additive.Chosen.Lambda;
            metrics[AdditiveForm] = (int)additive.Chosen.Form;
        }

        if (result.Training is { } t)
        {
            metrics[EpochsRun] = t.EpochsRun;
            metrics[BestEpoch] = t.BestEpoch + 1;
        }

        return metrics;
    }

    /// <summary>What <c>fit --base</c> records about an adaptation: its shots and, when rows were held out, the held-out error.</summary>
    public static Dictionary<string, double> OfAdaptation(int shots, LatencyMetrics? heldOut)
    {
        var metrics = new Dictionary<string, double> { [Shots] = shots };
        if (heldOut is { } h)
        {
            metrics[HeldOutMaeMs] = h.MaeMs;
            metrics[HeldOutMapePct] = h.MapePct;
            metrics[HeldOutSpearman] = h.Spearman;
        }

        return metrics;
    }
}
