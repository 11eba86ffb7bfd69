using LatencyGate.Gating;
using LatencyGate.Predictors;
using LatencyGate.Search;
using LatencyGate.Spaces;

namespace LatencyGate.Reporting.Html;

/// <summary>Builds the HTML report's model from a gate result or from a search sweep.</summary>
internal static class HtmlReportModels
{
    /// <summary>The gate's result; <paramref name="reportDirectory"/> is where the page goes (paths in it are relative to it).</summary>
    public static HtmlReportModel FromGate(GateResult result, string reportDirectory)
    {
        var devices = result.Devices.Select(d => Device(d) with { Quality = result.Quality.GetValueOrDefault(d.Device) }).ToArray();
        return new HtmlReportModel(
            "Latency gate: " + Path.GetFileName(result.ManifestPath),
            RelativeTo(reportDirectory, result.ManifestPath),
            result.Space,
            ReportText.ModeTitle(result.Mode),
            ReportText.Verdict(result.Overall),
            result.ToolVersion,
            devices)
        {
            Findings = ResultFindings(GateFindings.For(result), reportDirectory, result.ManifestPath),
        };
    }

    /// <summary>
    /// A sweep: per device its Pareto front, its budget, and the pick (the most accurate point whose
    /// gated latency is within the budget), predicted again with the device's predictor for the interval.
    /// </summary>
    public static HtmlReportModel FromSweep(GateContext context, SearchResult result, IReadOnlyList<Diagnostics.Diagnostic> findings, string reportDirectory)
    {
        var fronts = new List<FrontView>();
        var devices = new List<DeviceView>();
        foreach (var device in context.Devices)
        {
            var name = device.Name.Value;
            var budget = device.BudgetMs.Value;
            var confidence = device.Confidence?.Value;
            var front = result.Fronts.FirstOrDefault(f => f.Device == name);
            var points = front?.Points ?? [];
            SearchOutcome? chosen = null;
            foreach (var p in points)
            {
                if (Gated(p, confidence) <= budget && (chosen is null || p.Best.Accuracy > chosen.Best.Accuracy))
                {
                    chosen = p;
                }
            }

            fronts.Add(new FrontView(name, budget, points.Select(p => Point(p, confidence)).ToArray(), chosen is null ? null : Point(chosen, confidence)));
            var built = context.Predictors[name];
            var view = new DeviceView(name, chosen is null ? "fail" : "pass", budget, device.WarnMargin.Value.MillisecondsFor(budget), device.BatchSize.Value)
            {
                Confidence = confidence,
                Predictor = built.Description,
                Notes = ResultNotes(built.Notes),
                AccuracySource = result.Objective,
                Quality = PredictorQuality.Of(device, built.Predictor, context.Manifest.Space.Value),
            };
            if (chosen is not null)
            {
                var estimate = ShippedModelCheck.Estimate(built.Predictor, chosen.Best.Arch, confidence);
                var method = confidence is null ? IntervalMethod.None : built.Predictor.IntervalMethod;
                view = view with
                {
                    Verdict = ReportText.Verdict(GateRule.Decide(estimate, confidence, budget, view.WarnMarginMs)),
                    Predicted = new IntervalView(estimate.Ms, estimate.LowerMs, estimate.UpperMs, ReportText.IntervalMethod(method)),
                    GatedMs = confidence is null ? estimate.Ms : estimate.UpperMs,
                    Arch = Arch(chosen.Best.Arch),
                    Accuracy = chosen.Best.Accuracy,
                };
            }

            devices.Add(view);
        }

        var overall = devices.Any(d => d.Verdict == "fail") ? "fail" : devices.Any(d => d.Verdict == "warn") ? "warn" : "pass";
        return new HtmlReportModel(
            "Latency/accuracy sweep: " + Path.GetFileName(context.Manifest.FilePath),
            RelativeTo(reportDirectory, context.Manifest.FilePath),
            context.Manifest.Space.Value.Name,
            ReportText.SweepTitle,
            overall,
            string.Empty,
            devices)
        {
            Fronts = fronts,
            Objective = result.Objective,
            Findings = ResultFindings(findings, reportDirectory, context.Manifest.FilePath),
        };
    }

    /// <summary>
    /// The manifest as seen from the page (e.g. <c>../latency-gate.yaml</c>): the page reads the same
    /// wherever the repository is checked out, so the same inputs give the same bytes. A report folder
    /// that shares no folder with the manifest but the root (<c>--report-dir /tmp/r</c>) gets the full
    /// path instead: <c>../../work/repo/latency-gate.yaml</c> is no more portable and harder to read.
    /// </summary>
    private static string RelativeTo(string reportDirectory, string path)
    {
        var from = Path.GetFullPath(reportDirectory);
        var to = Path.GetFullPath(path);
        var relative = Path.GetRelativePath(from, to);
        var depth = from.Split(Path.DirectorySeparatorChar, StringSplitOptions.RemoveEmptyEntries).Length;
        var ups = relative.Split(Path.DirectorySeparatorChar).TakeWhile(s => s == "..").Count();
        return ReportText.PortablePath(depth > 0 && ups >= depth ? to : relative);
    }

    public static ArchView Arch(Arch arch)
    {
        var stages = new StageView[Spaces.Arch.StageCount];
        for (var s = 0; s < stages.Length; s++)
        {
            var depth = arch.Depths[s];
            var blocks = new BlockView[depth];
            for (var b = 0; b < depth; b++)
            {
                var slot = (s * Spaces.Arch.MaxDepth) + b;
                blocks[b] = new BlockView(slot, arch.KernelSizes[slot], arch.ExpandRatios[slot]);
            }

            stages[s] = new StageView(s + 1, depth, blocks);
        }

        return new ArchView(arch.CanonicalKey, arch.Resolution, stages);
    }

    /// <summary>
    /// A device's view. On a measured device the estimate the gate used is the measurement: it is shown
    /// as measured, beside the prediction search made (when it predicted), never as a prediction.
    /// </summary>
    private static DeviceView Device(DeviceResult d) => new(d.Device, ReportText.Verdict(d.Verdict), d.BudgetMs, d.WarnMarginMs, d.BatchSize)
    {
        Confidence = d.Measured is { } measured ? measured.PredictedConfidence : d.Confidence,
        Predicted = d.Measured is { } m
            ? m.Predicted is { } p ? new IntervalView(p.Ms, p.LowerMs, p.UpperMs, ReportText.IntervalMethod(m.PredictedMethod)) : null
            : d.Estimate is { } e ? new IntervalView(e.Ms, e.LowerMs, e.UpperMs, ReportText.IntervalMethod(d.IntervalMethod)) : null,
        Measured = d.Measured is { } mm ? Measured(mm) : null,
        GatedMs = d.GatedMs,
        Arch = d.Arch is { } a ? Arch(a) : null,
        Accuracy = d.Accuracy,
        AccuracySource = d.AccuracySource,
        Predictor = d.PredictorDescription,
        Notes = ResultNotes(d.Notes),
    };

    private static IntervalView Measured(MeasuredLatency m) => new(
        m.Measurement.LatencyMs,
        m.Measurement.LowerMs,
        m.Measurement.UpperMs,
        string.Create(System.Globalization.CultureInfo.InvariantCulture, $"bootstrap 95% of the median, {m.Measurement.Runs} runs in {m.Measurement.Passes} passes, {m.Runtime} {m.RuntimeVersion}, {m.Clock} time"));

    /// <summary>
    /// Findings about the result; the cache's own (LG0550–LG0599: an entry rebuilt, a folder not
    /// writable) describe the run. A finding in the manifest names it as the page's header does,
    /// relative to the page, not as the command line gave it (an absolute path would differ between
    /// checkouts and show a temporary folder in a CI artifact).
    /// </summary>
    private static IReadOnlyList<string> ResultFindings(IEnumerable<Diagnostics.Diagnostic> findings, string reportDirectory, string manifestPath)
    {
        var manifest = Path.GetFullPath(manifestPath);
        return findings
            .Where(d => !IsCacheCode(d.Code))
            .Select(d => d.Location is { } at && string.Equals(Path.GetFullPath(at.File), manifest, StringComparison.Ordinal)
                ? d with { Location = at with { File = RelativeTo(reportDirectory, manifest) } }
                : d)
            .Select(d => d.ToString())
            .ToArray();
    }

    private static bool IsCacheCode(string code) =>
        code.Length == 6 && int.TryParse(code.AsSpan(2), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var n) && n is >= 550 and <= 599;

    /// <summary>
    /// The notes about the result, not about the run: a warm cache adds "cached: …", and the page must
    /// be the same bytes whether the predictor was adapted now or loaded.
    /// </summary>
    private static IReadOnlyList<string> ResultNotes(IReadOnlyList<string> notes) =>
        notes.Where(n => !n.StartsWith("cached: ", StringComparison.Ordinal)).ToArray();

    private static double Gated(SearchOutcome p, double? confidence) =>
        confidence is null ? p.Best.Latencies[0].LatencyMs : p.Best.Latencies[0].UpperMs;

    private static FrontPoint Point(SearchOutcome p, double? confidence) =>
        new(Gated(p, confidence), p.Best.Accuracy, p.Best.Arch.CanonicalKey);
}
