using System.Globalization;
using LatencyGate.Diagnostics;
using LatencyGate.Manifest;
using LatencyGate.Predictors;
using LatencyGate.Spaces;

namespace LatencyGate.Gating;

/// <summary>
/// Builds <see cref="DeviceResult"/>s from a manifest device, so every host applies the same gate
/// rule and points findings at the same manifest lines.
/// </summary>
internal static class DeviceResults
{
    /// <summary>A predicted arch: verdict from <see cref="GateRule"/>, or fail below the accuracy floor.</summary>
    public static DeviceResult Predicted(
        DeviceSpec device,
        LatencyEstimate estimate,
        IntervalMethod method,
        string predictorDescription,
        Arch? arch = null,
        double? accuracy = null,
        string? accuracySource = null,
        Located<double>? accuracyFloor = null,
        IReadOnlyList<string>? notes = null,
        double seconds = 0)
    {
        if (!IsUsable(estimate))
        {
            return Failed(
                device,
                [Diagnostic.Error(
                    InputErrors.PredictedLatencyInvalid,
                    string.Create(CultureInfo.InvariantCulture, $"device '{device.Name.Value}': the predictor ({predictorDescription}) gave {estimate.Ms:G6} ms (interval {estimate.LowerMs:G6}–{estimate.UpperMs:G6} ms){(arch is null ? string.Empty : " for " + arch.CanonicalKey)}; a latency that is not a positive finite number is never a pass: check the predictor's weights or training data"),
                    device.Predictor.Location)],
                seconds);
        }

        var result = Base(device) with
        {
            Estimate = estimate,
            IntervalMethod = method,
            PredictorDescription = predictorDescription,
            Arch = arch,
            Accuracy = accuracy,
            AccuracySource = accuracySource,
            Notes = notes ?? [],
            Seconds = seconds,
        };
        var verdict = GateRule.Decide(estimate, result.Confidence, result.BudgetMs, result.WarnMarginMs);
        if (verdict != Verdict.Fail && accuracyFloor is not null && accuracy is { } a && a < accuracyFloor.Value)
        {
            return result with
            {
                Verdict = Verdict.Fail,
                Diagnostics =
                [
                    Diagnostic.Error(
                        GateErrors.BelowAccuracyFloor,
                        string.Create(CultureInfo.InvariantCulture, $"device '{device.Name.Value}': the best sub-network within the budget of {device.BudgetMs.Value:0.00} ms has predicted accuracy {a:0.0000}, below the accuracy floor {accuracyFloor.Value:0.0000}"),
                        accuracyFloor.Location),
                ],
            };
        }

        return result with { Verdict = verdict };
    }

    /// <summary>A latency the gate can act on: positive and finite, its interval too.</summary>
    public static bool IsUsable(LatencyEstimate estimate) =>
        estimate.Ms > 0 && double.IsFinite(estimate.Ms)
        && estimate.UpperMs > 0 && double.IsFinite(estimate.UpperMs)
        && double.IsFinite(estimate.LowerMs);

    /// <summary>Search found nothing within the budget; <paramref name="smallestReachableMs"/> says how far off it is.</summary>
    public static DeviceResult NoArchFits(DeviceSpec device, double smallestReachableMs, string predictorDescription, double seconds = 0) =>
        Base(device) with
        {
            Verdict = Verdict.Fail,
            PredictorDescription = predictorDescription,
            Seconds = seconds,
            Diagnostics =
            [
                Diagnostic.Error(
                    GateErrors.NoArchFits,
                    string.Create(CultureInfo.InvariantCulture, $"device '{device.Name.Value}': no sub-network fits the budget of {device.BudgetMs.Value:0.00} ms; the smallest latency reachable is {smallestReachableMs:0.00} ms"),
                    device.BudgetMs.Location),
            ],
        };

    /// <summary>The device could not be evaluated; <paramref name="diagnostics"/> say why (exit code 2).</summary>
    public static DeviceResult Failed(DeviceSpec device, IReadOnlyList<Diagnostic> diagnostics, double seconds = 0) =>
        Base(device) with
        {
            Verdict = Verdict.Error,
            Seconds = seconds,
            Diagnostics = diagnostics.Count > 0
                ? diagnostics
                : [Diagnostic.Error(GateErrors.DeviceError, $"device '{device.Name.Value}' could not be evaluated", device.Location)],
        };

    public static DeviceResult Skipped(DeviceSpec device, string? reason = null) =>
        Base(device) with { Verdict = Verdict.Skipped, Notes = reason is null ? [] : [reason] };

    private static DeviceResult Base(DeviceSpec device) => new()
    {
        Device = device.Name.Value,
        Verdict = Verdict.Skipped,
        BudgetMs = device.BudgetMs.Value,
        WarnMarginMs = device.WarnMargin.Value.MillisecondsFor(device.BudgetMs.Value),
        BatchSize = device.BatchSize.Value,
        Confidence = device.Confidence?.Value,
        DeviceLocation = device.Location,
        BudgetLocation = device.BudgetMs.Location,
    };
}
