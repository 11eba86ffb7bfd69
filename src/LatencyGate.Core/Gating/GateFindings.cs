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

    /// <summary>"predicted 31.2 ms (95% interval 29.0–33.4 ms, conformal)" or "predicted 31.2 ms".</summary>
    public static string DescribeLatency(DeviceResult device)
    {
        if (device.Estimate is not { } e)
        {
            return "no prediction";
        }

        if (device.Measured is { } m)
        {
            return string.Create(
                CultureInfo.InvariantCulture,
                $"measured {Ms(e.Ms)} (95% interval {e.LowerMs:0.00}–{e.UpperMs:0.00} ms, {m.Measurement.Runs} runs, {m.Runtime}; upper bound gated)");
        }

        if (device.Confidence is not { } c)
        {
            return $"predicted {Ms(e.Ms)}";
        }

        var method = device.IntervalMethod switch
        {
            IntervalMethod.Conformal => "conformal",
            IntervalMethod.EnsembleSpread => "ensemble spread",
            _ => "no uncertainty model",
        };
        return string.Create(
            CultureInfo.InvariantCulture,
            $"predicted {Ms(e.Ms)} ({c * 100:0.#}% interval {e.LowerMs:0.00}–{e.UpperMs:0.00} ms, {method}; upper bound gated)");
    }

    public static string Ms(double ms) => string.Create(CultureInfo.InvariantCulture, $"{ms:0.00} ms");
}
