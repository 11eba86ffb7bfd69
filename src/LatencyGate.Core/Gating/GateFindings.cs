using System.Globalization;
using LatencyGate.Diagnostics;
using LatencyGate.Predictors;

namespace LatencyGate.Gating;

/// <summary>
/// The diagnostics a gate result stands for (one per failing or warning device, plus run-level ones),
/// shared by the console, GitHub annotations and SARIF so they all say the same thing.
/// </summary>
internal static class GateFindings
{
    public static IReadOnlyList<Diagnostic> For(GateResult result)
    {
        var list = new List<Diagnostic>(result.Diagnostics);
        foreach (var device in result.Devices)
        {
            list.AddRange(For(device));
        }

        return list;
    }

    public static IReadOnlyList<Diagnostic> For(DeviceResult device)
    {
        var list = new List<Diagnostic>();
        var at = device.BudgetLocation ?? device.DeviceLocation;
        switch (device.Verdict)
        {
            case Verdict.Fail when !device.Diagnostics.Any(d => d.Severity == DiagnosticSeverity.Error) && device.Estimate is not null:
                list.Add(Diagnostic.Error(GateErrors.OverBudget, $"device '{device.Device}': {DescribeLatency(device)} is over its budget of {Ms(device.BudgetMs)}", at));
                break;
            case Verdict.Warn when device.Measured is { Inconclusive: true }:
                break; // the device's own LG0508 says it
            case Verdict.Warn:
                list.Add(Diagnostic.Warning(
                    GateErrors.WithinWarnMargin,
                    $"device '{device.Device}': {DescribeLatency(device)} is within the warn margin ({Ms(device.WarnMarginMs)}) of its budget of {Ms(device.BudgetMs)}",
                    at));
                break;
        }

        list.AddRange(device.Diagnostics);
        return list;
    }

    /// <summary>
    /// The gated latency (the figure compared with the budget) and what it is, in the one wording
    /// every output uses: "gated latency 20.30 ms (upper end of the 90% interval 17.85–20.30 ms,
    /// conformal; predicted 19.03 ms)", or, with no interval, "gated latency 11.17 ms (predicted;
    /// no uncertainty model, so no 90% interval)". A zero-width interval is never shown as one.
    /// </summary>
    public static string DescribeLatency(DeviceResult device)
    {
        if (device.Estimate is not { } e || device.GatedMs is not { } gated)
        {
            return "no prediction";
        }

        if (device.Measured is { } m)
        {
            return string.Create(
                CultureInfo.InvariantCulture,
                $"gated latency {Ms(gated)} (upper end of the 95% interval {e.LowerMs:0.00}–{e.UpperMs:0.00} ms around the measured median {Ms(e.Ms)}, {m.Measurement.Runs} runs, {m.Runtime})");
        }

        if (device.Confidence is not { } c)
        {
            return $"gated latency {Ms(gated)} (predicted)";
        }

        if (device.IntervalMethod == IntervalMethod.None)
        {
            return string.Create(CultureInfo.InvariantCulture, $"gated latency {Ms(gated)} (predicted; {NoUncertaintyModel}, so no {c * 100:0.#}% interval)");
        }

        var method = device.IntervalMethod == IntervalMethod.Conformal ? "conformal" : "ensemble spread";
        return string.Create(
            CultureInfo.InvariantCulture,
            $"gated latency {Ms(gated)} (upper end of the {c * 100:0.#}% interval {e.LowerMs:0.00}–{e.UpperMs:0.00} ms, {method}; predicted {Ms(e.Ms)})");
    }

    /// <summary>What reports say instead of an interval for a predictor that has none (lookup tables, plain predictor files, generalized).</summary>
    public const string NoUncertaintyModel = "no uncertainty model";

    /// <summary>
    /// Whether the device has a real interval: a measurement's, or a predictor's with an uncertainty
    /// model at a set confidence. Without one, the bounds equal the point and must not be shown as an interval.
    /// </summary>
    public static bool HasInterval(DeviceResult device) =>
        device.Estimate is not null && (device.Measured is not null || (device.Confidence is not null && device.IntervalMethod != IntervalMethod.None));

    /// <summary>Why a device shows no interval ("no uncertainty model", "no confidence set"), or null when it has one or has no prediction.</summary>
    public static string? NoIntervalReason(DeviceResult device) =>
        device.Estimate is null || HasInterval(device) ? null
        : device.Confidence is null ? "no confidence set"
        : NoUncertaintyModel;

    public static string Ms(double ms) => string.Create(CultureInfo.InvariantCulture, $"{ms:0.00} ms");
}
