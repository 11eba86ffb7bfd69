using System.Globalization;
using LatencyGate.Diagnostics;
using LatencyGate.Gating;
using LatencyGate.Predictors;

namespace LatencyGate.Reporting;

/// <summary>Names and number formats shared by every report, so they agree with each other.</summary>
internal static class ReportText
{
    public static string Verdict(Verdict verdict) => verdict switch
    {
        Gating.Verdict.Pass => "pass",
        Gating.Verdict.Warn => "warn",
        Gating.Verdict.Fail => "fail",
        Gating.Verdict.Error => "error",
        _ => "skipped",
    };

    public static string Mode(GateMode mode) => mode switch
    {
        GateMode.Check => "check",
        GateMode.SearchPerDevice => "search-per-device",
        _ => "search-shared",
    };

    /// <summary>
    /// The mode as people read it (the terminal table's title, the HTML and Markdown reports), e.g.
    /// "search per device"; <see cref="Mode"/> is the machine name the JSON and JUnit reports keep.
    /// </summary>
    public static string ModeTitle(GateMode mode) => mode switch
    {
        GateMode.Check => "check of the shipped sub-network",
        GateMode.SearchPerDevice => "search per device",
        _ => "one search for all devices",
    };

    /// <summary>What a <c>search --sweep</c> page calls its mode.</summary>
    public const string SweepTitle = "latency/accuracy sweep";

    public static string IntervalMethod(IntervalMethod method) => method switch
    {
        Predictors.IntervalMethod.Conformal => "conformal",
        Predictors.IntervalMethod.EnsembleSpread => "ensemble_spread",
        _ => "none",
    };

    /// <summary>Round-trippable and culture-free, with at most 4 decimals so reports stay readable and stable.</summary>
    public static double Round(double value) => Math.Round(value, 4, MidpointRounding.AwayFromZero);

    public static string Number(double value, string format = "0.00") => value.ToString(format, CultureInfo.InvariantCulture);

    /// <summary>A manifest path as reports show it: forward slashes, so links work on every CI.</summary>
    public static string PortablePath(string path) => path.Replace('\\', '/');

    /// <summary>The run's one verdict line, the same on a terminal and in a log: "latency gate: pass — 5 pass, 0 warn, 0 fail, 0 error (2.3 s)".</summary>
    public static string OverallLine(GateResult result) => string.Create(
        CultureInfo.InvariantCulture,
        $"latency gate: {Verdict(result.Overall)} — {result.Count(Gating.Verdict.Pass)} pass, {result.Count(Gating.Verdict.Warn)} warn, {result.Count(Gating.Verdict.Fail)} fail, {result.Count(Gating.Verdict.Error)} error{(result.Count(Gating.Verdict.Skipped) > 0 ? $", {result.Count(Gating.Verdict.Skipped)} skipped" : string.Empty)} ({result.TotalSeconds:0.0} s)");

    /// <summary>
    /// A device's interval for a table cell: "17.85–20.30 (90%)", "17.85–20.30 (95%, measured)", or the
    /// reason there is none ("no uncertainty model"); never a zero-width range.
    /// </summary>
    public static string IntervalCell(DeviceResult device)
    {
        if (device.Estimate is not { } e)
        {
            return "—";
        }

        if (GateFindings.NoIntervalReason(device) is { } reason)
        {
            return reason;
        }

        return device.Measured is not null
            ? string.Create(CultureInfo.InvariantCulture, $"{e.LowerMs:0.00}–{e.UpperMs:0.00} (95%, measured)")
            : string.Create(CultureInfo.InvariantCulture, $"{e.LowerMs:0.00}–{e.UpperMs:0.00} ({device.Confidence * 100:0.#}%)");
    }

    /// <summary>
    /// What a search aimed under and why, e.g. "searched under 22.50 ms (the 25.00 ms budget less its
    /// warn margin)"; null outside search mode.
    /// </summary>
    public static string? SearchAim(DeviceResult device) => device.SearchTargetMs switch
    {
        null => null,
        { } aim when aim < device.BudgetMs => string.Create(CultureInfo.InvariantCulture, $"searched under {aim:0.00} ms (the {device.BudgetMs:0.00} ms budget less its warn margin)"),
        _ => "searched under the whole budget",
    };

    /// <summary>
    /// A device line without a gated latency says why, with the code of its error ("FAIL  note10: budget
    /// 5.00 ms; LG0502: no sub-network fits …"): the verdict alone left the reader to find the error below.
    /// </summary>
    private static string NoLatency(DeviceResult device)
    {
        var budget = string.Create(CultureInfo.InvariantCulture, $"budget {device.BudgetMs:0.00} ms");
        if (device.Diagnostics.FirstOrDefault(d => d.Severity == DiagnosticSeverity.Error) is not { } error)
        {
            return budget;
        }

        var prefix = $"device '{device.Device}': ";
        var message = error.Message.StartsWith(prefix, StringComparison.Ordinal) ? error.Message[prefix.Length..] : error.Message;
        return $"{budget}; {error.Code}: {message}";
    }

    /// <summary>One line per device for console summaries: verdict, gated latency against the budget, arch.</summary>
    public static string DeviceLine(DeviceResult device)
    {
        var latency = device.GatedMs is { } gated
            ? string.Create(CultureInfo.InvariantCulture, $"{GateFindings.DescribeLatency(device)}, budget {device.BudgetMs:0.00} ms")
            : NoLatency(device);
        var accuracy = device.Accuracy is { } a ? string.Create(CultureInfo.InvariantCulture, $", accuracy {a:0.0000}") : string.Empty;
        var arch = device.Arch is { } arch1 ? $", arch {arch1.CanonicalKey}" : string.Empty;
        var aim = SearchAim(device) is { } a1 ? ", " + a1 : string.Empty;
        return $"{Verdict(device.Verdict).ToUpperInvariant(),-5} {device.Device}: {latency}{accuracy}{aim}{arch}";
    }
}
