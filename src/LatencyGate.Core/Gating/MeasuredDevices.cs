using System.Diagnostics;
using System.Globalization;
using LatencyGate.Diagnostics;
using LatencyGate.Manifest;
using LatencyGate.Measuring;
using LatencyGate.Predictors;
using LatencyGate.Spaces;

namespace LatencyGate.Gating;

/// <summary>
/// Devices whose manifest predictor is <c>measure:</c>: after the shipped arch was checked (or the
/// search picked one with the nested predictor), the arch is measured on this machine, one device
/// at a time and never alongside other work, and the verdict comes from the measured interval:
/// pass when its upper end is within budget (warn inside the warn margin), fail when its lower end is
/// over, otherwise inconclusive (LG0508), counted as warn or fail as the manifest says.
/// </summary>
internal static class MeasuredDevices
{
    /// <summary>The interval reported for a measurement: the bootstrap 95 % interval of the median.</summary>
    public const double IntervalConfidence = 0.95;

    public static IReadOnlyList<DeviceResult> Apply(GateContext context, IReadOnlyList<DeviceResult> results, Arch? shipped, IArchMeasurer? measurer)
    {
        var output = results.ToArray();
        for (var i = 0; i < output.Length; i++)
        {
            var device = context.Devices[i];
            if (device.Predictor is not MeasureSource source || output[i].Verdict == Verdict.Error)
            {
                continue;
            }

            var arch = shipped ?? output[i].Arch;
            if (arch is null)
            {
                continue; // search found nothing within budget: nothing to measure, the fail stands
            }

            context.CancellationToken.ThrowIfCancellationRequested();
            output[i] = Measure(context, device, source, arch, output[i], measurer);
        }

        return output;
    }

    public static Verdict Decide(ArchMeasurement m, double budgetMs, double warnMarginMs, bool inconclusiveFails, out bool inconclusive)
    {
        inconclusive = false;
        if (m.UpperMs <= budgetMs)
        {
            return m.UpperMs > budgetMs - warnMarginMs ? Verdict.Warn : Verdict.Pass;
        }

        if (m.LowerMs > budgetMs)
        {
            return Verdict.Fail;
        }

        inconclusive = true;
        return inconclusiveFails ? Verdict.Fail : Verdict.Warn;
    }

    private static DeviceResult Measure(GateContext context, DeviceSpec device, MeasureSource source, Arch arch, DeviceResult previous, IArchMeasurer? measurer)
    {
        var watch = Stopwatch.StartNew();
        if (measurer is null)
        {
            return DeviceResults.Failed(device, [Diagnostic.Error(
                GateErrors.CannotMeasureHere,
                $"device '{device.Name.Value}' is measured ('measure:'), and this host loads no measuring runtime (the MSBuild task stays free of native libraries); set LatencyGateMeasureCommand (for example to 'dotnet latency-gate') so the task has the tool measure in its own process, run `dotnet latency-gate check` on the machine, or gate this device with a predictor",
                source.Location)]);
        }

        var protocol = new MeasurementProtocol(
            Warmup: source.Warmup,
            Runs: source.Runs,
            Passes: source.Passes,
            Clock: source.Threads == 1 ? TimingClock.Cpu : TimingClock.Wall,
            Threads: source.Threads,
            BatchSize: device.BatchSize.Value);
        MeasuredArch measured;
        try
        {
            measured = measurer.Measure(source.Runtime.Value, source.Runtime.Location, context.Manifest.Space.Value, protocol, arch, context.CancellationToken);
        }
        catch (LatencyGateException ex)
        {
            return DeviceResults.Failed(device, [.. ex.Diagnostics.Select(d => d with { Location = d.Location ?? source.Runtime.Location })]);
        }

        var m = measured.Measurement;
        var (runtimeName, runtimeVersion) = (measured.RuntimeName, measured.RuntimeVersion);
        var predictedEstimate = previous.Estimate is { } e && source.Predictor is not null ? e : (LatencyEstimate?)null;
        var predicted = predictedEstimate?.Ms;
        var verdict = Decide(m, device.BudgetMs.Value, previous.WarnMarginMs, source.InconclusiveFails, out var inconclusive);
        var inv = CultureInfo.InvariantCulture;
        var measuredText = string.Create(inv, $"measured {m.LatencyMs:0.00} ms (95% interval {m.LowerMs:0.00}–{m.UpperMs:0.00} ms, {m.Runs} runs in {m.Passes} passes, {runtimeName} {runtimeVersion}, {source.Threads} thread(s), {protocol.ClockName} time)");
        var notes = new List<string> { measuredText };
        if (predicted is { } p)
        {
            notes.Add(string.Create(inv, $"predicted {p:0.00} ms by {previous.PredictorDescription}; measured/predicted {m.LatencyMs / p:0.00}"));
        }

        notes.AddRange(previous.Notes);
        var diagnostics = new List<Diagnostic>();
        var at = device.BudgetMs.Location;
        if (inconclusive)
        {
            var message = string.Create(
                inv,
                $"device '{device.Name.Value}': inconclusive: {measuredText} straddles the budget of {device.BudgetMs.Value:0.00} ms; counted as {(source.InconclusiveFails ? "fail" : "warn")} ('inconclusive: {source.Inconclusive.Value}'); measure with more runs or passes, or on a quieter machine");
            diagnostics.Add(source.InconclusiveFails ? Diagnostic.Error(GateErrors.Inconclusive, message, at) : Diagnostic.Warning(GateErrors.Inconclusive, message, at));
        }

        if (m.Unstable)
        {
            diagnostics.Add(Diagnostic.Warning(
                GateErrors.MeasurementUnstable,
                string.Create(inv, $"device '{device.Name.Value}': the measurement stayed unstable after {m.Retries} retries (interval {m.LowerMs:0.00}–{m.UpperMs:0.00} ms around {m.LatencyMs:0.00} ms): this machine is busy"),
                source.Location));
        }

        return previous with
        {
            Verdict = verdict,
            Confidence = IntervalConfidence,
            Estimate = new LatencyEstimate(m.LatencyMs, m.LowerMs, m.UpperMs),
            IntervalMethod = IntervalMethod.None,
            Arch = arch,
            PredictorDescription = string.Create(inv, $"measured on this machine ({runtimeName} {runtimeVersion})"),
            Notes = notes,
            Diagnostics = [.. previous.Diagnostics.Where(d => d.Severity != DiagnosticSeverity.Error), .. diagnostics],
            Seconds = previous.Seconds + watch.Elapsed.TotalSeconds,
            Measured = new MeasuredLatency(m, runtimeName, runtimeVersion, source.Threads, protocol.ClockName, inconclusive, predictedEstimate, predicted is null ? null : previous.PredictorDescription)
            {
                PredictedMethod = predictedEstimate is null || previous.Confidence is null ? IntervalMethod.None : previous.IntervalMethod,
                PredictedConfidence = predictedEstimate is null ? null : previous.Confidence,
            },
        };
    }
}
