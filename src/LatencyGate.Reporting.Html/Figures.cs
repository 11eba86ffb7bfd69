using System.Globalization;
using LatencyGate.Gating;
using ScottPlot;
using ScottPlot.TickGenerators;

namespace LatencyGate.Reporting.Html;

/// <summary>The report's plots (ScottPlot); each returns the inline SVG with its title and text alternative.</summary>
internal static class Figures
{
    private const int Wide = 960;

    /// <summary>Room right of the data area for half of the widest bottom tick label ("110", "0.95").</summary>
    private const float RightMargin = 24;

    /// <summary>The height a one-row legend below a figure takes, added so the data area keeps its size.</summary>
    private const int LegendBelowHeight = 40;

    /// <summary>
    /// One bar per device: the gated latency as a share of the device's budget (budgets differ, so the
    /// common scale is the budget itself), the interval as a whisker, the budget line at 100 %.
    /// </summary>
    public static string Fleet(IReadOnlyList<DeviceView> devices, string id)
    {
        var plot = NewPlot();
        var ticks = new NumericManual();
        var maxPercent = 110.0;
        var described = new List<string>();
        for (var i = 0; i < devices.Count; i++)
        {
            var d = devices[i];
            var y = devices.Count - 1 - i;
            ticks.AddMajor(y, d.Name);
            if (d.Predicted is not { } p || d.GatedMs is not { } gated)
            {
                described.Add($"{d.Name}: no prediction ({d.Verdict})");
                continue;
            }

            var percent = 100 * gated / d.BudgetMs;
            // The bar (gated: a measured device's measurement) can end beyond the prediction's interval.
            maxPercent = Math.Max(maxPercent, Math.Max(p.UpperMs / d.BudgetMs, gated / d.BudgetMs) * 100 * 1.08);
            var bar = plot.Add.Rectangle(0, percent, y - 0.3, y + 0.3);
            bar.FillColor = ReportColors.Of(ReportColors.ForVerdict(d.Verdict));
            bar.LineWidth = 0;
            if (p.UpperMs > p.LowerMs)
            {
                var whisker = plot.Add.Line(100 * p.LowerMs / d.BudgetMs, y, 100 * p.UpperMs / d.BudgetMs, y);
                whisker.Color = ReportColors.Of(ReportColors.Interval);
                whisker.LineWidth = 2;
            }

            var point = plot.Add.Marker(100 * p.Ms / d.BudgetMs, y, MarkerShape.FilledCircle, 7, ReportColors.Of(ReportColors.Interval));
            point.LegendText = i == 0 ? "prediction (whisker: interval)" : string.Empty;
            described.Add(Text($"{d.Name}: {d.Verdict}, gated {gated:0.00} ms = {percent:0.#}% of the {d.BudgetMs:0.##} ms budget"));
        }

        var budget = plot.Add.VerticalLine(100, 2, ReportColors.Of(ReportColors.Budget));
        budget.LegendText = "budget (100 %)";
        plot.Axes.Left.TickGenerator = ticks;
        plot.Axes.SetLimits(0, maxPercent, -0.6, devices.Count - 0.4);
        plot.Title("Gated latency as a share of each device's budget");
        plot.XLabel("gated latency (% of budget)");
        // Below the figure, outside the data area: in a corner of it the legend lay over the budget
        // line (at 100 % of an axis that ends at 110 %) and the bottom device's bar.
        plot.ShowLegend(Edge.Bottom);
        plot.Legend.Orientation = Orientation.Horizontal;
        return SvgFigure.Render(
            plot,
            Wide,
            Math.Max(220, 90 + (48 * devices.Count)) + LegendBelowHeight,
            id,
            "Gated latency as a share of each device's budget",
            "One bar per device, the budget line at 100 percent. " + string.Join("; ", described) + ".");
    }

    /// <summary>A device's prediction interval (and measurement, where there is one) against its budget line, in ms.</summary>
    public static string Device(DeviceView d, string id)
    {
        var plot = NewPlot();
        var rows = new List<(string Label, IntervalView Value, string Color)>();
        if (d.Predicted is { } p)
        {
            // A measured device's verdict is the measurement's: colouring the prediction by it painted a
            // prediction under budget in the fail colour (examples/this-machine).
            rows.Add(("predicted", p, d.Measured is null ? ReportColors.ForVerdict(d.Verdict) : ReportColors.Identity));
        }

        if (d.Measured is { } m)
        {
            rows.Add(("measured", m, ReportColors.Measured));
        }

        var top = Math.Max(d.BudgetMs, rows.Count == 0 ? 0 : rows.Max(r => r.Value.UpperMs)) * 1.15;
        if (d.WarnMarginMs > 0)
        {
            var zone = plot.Add.HorizontalSpan(d.BudgetMs - d.WarnMarginMs, d.BudgetMs);
            zone.FillColor = ReportColors.Of(ReportColors.WarnZone).WithAlpha(0.25);
            zone.LineWidth = 0;
            zone.LegendText = "warn margin";
        }

        var ticks = new NumericManual();
        var described = new List<string>();
        for (var i = 0; i < rows.Count; i++)
        {
            var (label, v, color) = rows[i];
            var y = rows.Count - 1 - i;
            ticks.AddMajor(y, label);
            // A zero-width interval (no uncertainty model) still gets a visible bar around the point.
            var half = Math.Max((v.UpperMs - v.LowerMs) / 2, top * 0.004);
            var mid = (v.UpperMs + v.LowerMs) / 2;
            var bar = plot.Add.Rectangle(Math.Min(v.LowerMs, mid - half), Math.Max(v.UpperMs, mid + half), y - 0.25, y + 0.25);
            bar.FillColor = ReportColors.Of(color);
            bar.LineWidth = 0;
            var noInterval = label == "predicted" && v.Method == "none";
            bar.LegendText = label != "predicted" ? "measured spread" : noInterval ? (d.Confidence is null ? "predicted (no interval asked)" : "predicted (no uncertainty model)") : $"predicted interval ({v.Method})";
            var point = plot.Add.Marker(v.Ms, y, MarkerShape.FilledDiamond, 11, ReportColors.Of(ReportColors.Interval));
            point.LegendText = i == 0 ? "point value" : string.Empty;
            described.Add(noInterval
                ? Text($"{label} {v.Ms:0.00} ms, interval: none ({(d.Confidence is null ? "no confidence set" : "no uncertainty model")})")
                : Text($"{label} {v.Ms:0.00} ms, interval {v.LowerMs:0.00}–{v.UpperMs:0.00} ms ({v.Method})"));
        }

        var budget = plot.Add.VerticalLine(d.BudgetMs, 2, ReportColors.Of(ReportColors.Budget));
        budget.LegendText = Text($"budget {d.BudgetMs:0.##} ms");
        plot.Axes.Left.TickGenerator = ticks;
        plot.Axes.SetLimits(0, top, -0.6, Math.Max(rows.Count, 1) - 0.4);
        var title = d.GatedMs is { } g
            ? Text($"{d.Name}: {d.Verdict.ToUpperInvariant()}, gated {g:0.00} ms against a budget of {d.BudgetMs:0.##} ms")
            : Text($"{d.Name}: {d.Verdict.ToUpperInvariant()}, no prediction (budget {d.BudgetMs:0.##} ms)");
        plot.Title(title);
        plot.XLabel(d.BatchSize == 1 ? "latency (ms)" : Text($"latency of a batch of {d.BatchSize} (ms)"));
        plot.Legend.IsVisible = true;
        plot.Legend.Alignment = Alignment.UpperLeft;
        return SvgFigure.Render(plot, Wide, 190 + (40 * rows.Count), id, title, described.Count == 0 ? "No latency could be predicted." : string.Join("; ", described) + Text($"; budget line at {d.BudgetMs:0.##} ms."));
    }

    /// <summary>The sub-network as blocks: one box per active block, width fixed, height the expand ratio, colour the kernel size.</summary>
    public static string Arch(ArchView arch, string id, string what)
    {
        var plot = NewPlot();
        var ticks = new NumericManual();
        var x = 0.0;
        var described = new List<string>();
        var placed = new List<(double X, int Kernel, int Expand)>();
        foreach (var stage in arch.Stages)
        {
            var start = x;
            foreach (var b in stage.Blocks)
            {
                placed.Add((x, b.Kernel, b.Expand));
                x += 1;
            }

            ticks.AddMajor((start + x - 0.15) / 2, Text($"stage {stage.Index}\ndepth {stage.Depth}"));
            described.Add(Text($"stage {stage.Index}: depth {stage.Depth}, blocks {string.Join(" ", stage.Blocks.Select(b => $"k{b.Kernel}e{b.Expand}"))}"));
            x += 0.6;
        }

        // Boxes are added by kernel size (a stable sort), so the legend reads 3×3, 5×5, 7×7 whichever the first block has.
        var legendDone = new HashSet<int>();
        foreach (var (bx, kernel, expand) in placed.OrderBy(p => p.Kernel))
        {
            var box = plot.Add.Rectangle(bx, bx + 0.85, 0, expand);
            box.FillColor = ReportColors.Of(ReportColors.ForKernel(kernel));
            box.LineColor = ReportColors.Of(ReportColors.Interval);
            box.LineWidth = 1;
            if (legendDone.Add(kernel))
            {
                box.LegendText = Text($"kernel {kernel}×{kernel}");
            }
        }

        foreach (var (bx, kernel, expand) in placed)
        {
            var label = plot.Add.Text(Text($"k{kernel}\ne{expand}"), bx + 0.425, expand / 2.0);
            label.LabelFontSize = 11;
            label.LabelAlignment = Alignment.MiddleCenter;
            label.LabelFontColor = kernel == 7 ? Colors.White : Colors.Black;
        }

        plot.Axes.Bottom.TickGenerator = ticks;
        plot.Axes.SetLimits(-0.3, x - 0.3, 0, 8);
        var yTicks = new NumericManual();
        foreach (var e in new[] { 3, 4, 6 })
        {
            yTicks.AddMajor(e, e.ToString(CultureInfo.InvariantCulture));
        }

        plot.Axes.Left.TickGenerator = yTicks;
        plot.YLabel("expand ratio");
        var title = Text($"{what}: resolution {arch.Resolution}, {arch.Stages.Sum(s => s.Depth)} blocks");
        plot.Title(title);
        plot.Legend.IsVisible = true;
        plot.Legend.Alignment = Alignment.UpperRight;
        plot.Legend.Orientation = Orientation.Horizontal;
        return SvgFigure.Render(plot, Wide, 300, id, title, Text($"Sub-network {arch.Key}: ") + string.Join("; ", described) + ".");
    }

    /// <summary>A device's accuracy/latency Pareto front, its budget line and the chosen point.</summary>
    public static string Front(FrontView front, string objective, string id)
    {
        var plot = NewPlot();
        var xs = front.Points.Select(p => p.LatencyMs).ToArray();
        var ys = front.Points.Select(p => p.Accuracy).ToArray();
        var line = plot.Add.Scatter(xs, ys, ReportColors.Of(ReportColors.Front));
        line.LineWidth = 1.5f;
        line.MarkerSize = 7;
        line.LegendText = Text($"Pareto front ({front.Points.Count} sub-networks)");
        var budget = plot.Add.VerticalLine(front.BudgetMs, 2, ReportColors.Of(ReportColors.Budget));
        budget.LegendText = Text($"budget {front.BudgetMs:0.##} ms");
        string chosenText;
        if (front.Chosen is { } c)
        {
            var chosen = plot.Add.Marker(c.LatencyMs, c.Accuracy, MarkerShape.FilledCircle, 16, ReportColors.Of(ReportColors.Chosen));
            chosen.LegendText = Text($"chosen: {c.LatencyMs:0.00} ms, accuracy {c.Accuracy:0.0000}");
            chosenText = Text($"the chosen sub-network is at {c.LatencyMs:0.00} ms with accuracy {c.Accuracy:0.0000}");
        }
        else
        {
            chosenText = "no point of the front is within the budget";
        }

        var xMax = Math.Max(front.BudgetMs, xs.Length == 0 ? 0 : xs.Max()) * 1.08;
        var xMin = Math.Min(front.BudgetMs, xs.Length == 0 ? front.BudgetMs : xs.Min()) * 0.92;
        if (ys.Length > 0)
        {
            var pad = Math.Max((ys.Max() - ys.Min()) * 0.1, 1e-3);
            plot.Axes.SetLimits(xMin, xMax, ys.Min() - pad, ys.Max() + pad);
        }

        var title = Text($"{front.Device}: accuracy against gated latency, budget {front.BudgetMs:0.##} ms");
        Label(plot, title, "gated latency (ms)", "predicted accuracy", Alignment.LowerRight);
        var range = xs.Length == 0 ? "no points" : Text($"{xs.Length} points from {xs.Min():0.00} to {xs.Max():0.00} ms, accuracy {ys.Min():0.0000} to {ys.Max():0.0000}");
        return SvgFigure.Render(plot, Wide, 420, id, title, Text($"Pareto front of the sweep on {front.Device} (accuracy: {objective}): {range}; budget line at {front.BudgetMs:0.##} ms; {chosenText}."));
    }

    /// <summary>Predicted against measured latency on held-out measurements, with the identity line.</summary>
    public static string Scatter(string device, QualityView q, string id)
    {
        var plot = NewPlot();
        var xs = q.Points.Select(p => p.MeasuredMs).ToArray();
        var ys = q.Points.Select(p => p.PredictedMs).ToArray();
        var lo = Math.Min(xs.Min(), ys.Min()) * 0.95;
        var hi = Math.Max(xs.Max(), ys.Max()) * 1.05;
        var identity = plot.Add.Line(lo, lo, hi, hi);
        identity.Color = ReportColors.Of(ReportColors.Identity);
        identity.LegendText = "predicted = measured";
        var points = plot.Add.ScatterPoints(xs, ys, ReportColors.Of(ReportColors.Pass));
        points.MarkerSize = 5;
        points.LegendText = Text($"{q.Points.Count} held-out measurements, MAE {q.Points.Average(p => Math.Abs(p.PredictedMs - p.MeasuredMs)):0.000} ms");
        plot.Axes.SetLimits(lo, hi, lo, hi);
        var mae = q.Points.Average(p => Math.Abs(p.PredictedMs - p.MeasuredMs));
        var title = Text($"{device}: predicted vs measured (held out)");
        Label(plot, title, "measured (ms)", "predicted (ms)", Alignment.UpperLeft);
        return SvgFigure.Render(plot, 470, 400, id, title, Text($"{q.Description}: {q.Points.Count} measurements not used to fit the predictor; mean absolute error {mae:0.000} ms."));
    }

    /// <summary>Empirical against nominal coverage of the prediction interval, with the diagonal.</summary>
    public static string Coverage(string device, QualityView q, string id)
    {
        var plot = NewPlot();
        var ideal = plot.Add.Line(0, 0, 1, 1);
        ideal.Color = ReportColors.Of(ReportColors.Identity);
        ideal.LegendText = "ideal";
        var curve = plot.Add.Scatter(q.Coverage.Select(c => c.Nominal).ToArray(), q.Coverage.Select(c => c.Empirical).ToArray(), ReportColors.Of(ReportColors.Pass));
        curve.MarkerSize = 7;
        curve.LegendText = "empirical coverage";
        plot.Axes.SetLimits(0, 1, 0, 1);
        var title = Text($"{device}: interval coverage (held out)");
        Label(plot, title, "nominal coverage", "empirical coverage (held out)", Alignment.UpperLeft);
        return SvgFigure.Render(plot, 470, 400, id, title, "Coverage of the prediction interval: " + string.Join("; ", q.Coverage.Select(c => Text($"nominal {c.Nominal:0.00}, empirical {c.Empirical:0.00}"))) + ".");
    }

    /// <summary>Title, axis labels and a visible legend: what every x-y figure sets the same way.</summary>
    private static void Label(Plot plot, string title, string xLabel, string yLabel, Alignment legend)
    {
        plot.Title(title);
        plot.XLabel(xLabel);
        plot.YLabel(yLabel);
        plot.Legend.IsVisible = true;
        plot.Legend.Alignment = legend;
    }

    private static Plot NewPlot()
    {
        var plot = new Plot();
        plot.Font.Set(SvgFigure.FontName);
        plot.Axes.Right.IsVisible = false;
        plot.Axes.Top.IsVisible = false;
        // ScottPlot centres the last bottom tick label on the data area's right edge; with no right
        // axis that edge is the figure's, and half the label ("110" read "11") fell outside the SVG.
        plot.Axes.Right.MinimumSize = RightMargin;
        return plot;
    }

    private static string Text(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
