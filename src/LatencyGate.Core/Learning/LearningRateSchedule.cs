namespace LatencyGate.Learning;

internal enum ScheduleKind
{
    Constant,

    /// <summary>Multiply by <see cref="LearningRateSchedule.StepGamma"/> every <see cref="LearningRateSchedule.StepEpochs"/> epochs.</summary>
    Step,

    /// <summary>Cosine decay from the base rate to <see cref="LearningRateSchedule.MinimumFraction"/> of it.</summary>
    Cosine,
}

/// <summary>Learning rate per optimizer step: linear warm-up, then constant, step or cosine decay.</summary>
internal sealed record LearningRateSchedule(
    ScheduleKind Kind,
    double BaseRate,
    int WarmupEpochs = 0,
    int StepEpochs = 30,
    double StepGamma = 0.1,
    double MinimumFraction = 0.0)
{
    public double RateAt(int epoch, int stepInEpoch, int stepsPerEpoch, int totalEpochs)
    {
        var progress = epoch + ((double)stepInEpoch / Math.Max(1, stepsPerEpoch));
        if (WarmupEpochs > 0 && progress < WarmupEpochs)
        {
            return BaseRate * (progress + (1.0 / Math.Max(1, stepsPerEpoch))) / WarmupEpochs;
        }

        switch (Kind)
        {
            case ScheduleKind.Constant:
                return BaseRate;
            case ScheduleKind.Step:
                return BaseRate * Math.Pow(StepGamma, epoch / Math.Max(1, StepEpochs));
            case ScheduleKind.Cosine:
                var span = Math.Max(1e-9, totalEpochs - WarmupEpochs);
                var t = Math.Clamp((progress - WarmupEpochs) / span, 0.0, 1.0);
                var floor = BaseRate * MinimumFraction;
                return floor + ((BaseRate - floor) * 0.5 * (1.0 + Math.Cos(Math.PI * t)));
            default:
                throw new InvalidOperationException("unknown schedule");
        }
    }
}
