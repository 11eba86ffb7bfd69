using LatencyGate.Reporting.Html;
using Shouldly;
using Xunit;

namespace LatencyGate.Tests;

/// <summary>The renderer on hand-made models: what a measured device adds, and stable bytes within one process.</summary>
public sealed class RendererTests
{
    private static HtmlReportModel Model(IntervalView? measured) => new(
        "Latency gate: m.yaml",
        "../m.yaml",
        "ofa-mbv3-w1.2",
        "check",
        "fail",
        "1.0.0",
        [
            new DeviceView("this-machine", "fail", 10, 1, 1)
            {
                Confidence = 0.9,
                Predicted = new IntervalView(9.2, 8.5, 9.8, "conformal"),
                GatedMs = 9.8,
                Measured = measured,
                Predictor = "LUT",
            },
        ]);

    [Fact]
    public void A_measured_interval_is_drawn_beside_the_predicted_one()
    {
        var without = HtmlReportRenderer.RenderText(Model(null));
        var with = HtmlReportRenderer.RenderText(Model(new IntervalView(10.4, 10.1, 10.9, "median and IQR of 30 passes")));

        HtmlReportTests.Count(Svg(without, "fig-d1-interval"), "fill=\"#2CA02C\"").ShouldBe(0);
        HtmlReportTests.Count(Svg(with, "fig-d1-interval"), "fill=\"#2CA02C\"").ShouldBe(1);
        Svg(with, "fig-d1-interval").ShouldContain("measured 10.40 ms, interval 10.10–10.90 ms (median and IQR of 30 passes)");
        // The verdict (fail) is the measurement's: the prediction beside it is grey, not in the fail colour.
        HtmlReportTests.Count(Svg(without, "fig-d1-interval"), "fill=\"#7A0177\"").ShouldBeGreaterThan(0);
        HtmlReportTests.Count(Svg(with, "fig-d1-interval"), "fill=\"#7A0177\"").ShouldBe(0);
        with.ShouldContain("<td class=\"num\">10.40 (10.10–10.90)</td>");
    }

    /// <summary>
    /// The device table has a "measured" column only when a device is measured: on the fleet example (no
    /// measured device) a column of dashes headed "measured (95% interval)" read as measurements that failed.
    /// </summary>
    [Fact]
    public void The_measured_column_is_there_only_when_a_device_is_measured()
    {
        HtmlReportRenderer.RenderText(Model(null)).ShouldNotContain(">measured (95% interval)</th>");
        var with = HtmlReportRenderer.RenderText(Model(new IntervalView(10.4, 10.1, 10.9, "median and IQR of 30 passes")));
        with.ShouldContain(">measured (95% interval)</th>");
    }

    /// <summary>
    /// The arch figure's legend lists kernel sizes in order (3×3, 5×5, 7×7), not in the order the first
    /// blocks happen to show them (examples/this-machine's pick starts with 7×7 blocks: the legend read 7, 3, 5).
    /// </summary>
    [Fact]
    public void The_arch_legend_lists_kernel_sizes_in_order()
    {
        var arch = new ArchView("r224-…", 224, [new StageView(1, 2, [new BlockView(0, 7, 6), new BlockView(1, 3, 4)]), new StageView(2, 2, [new BlockView(0, 7, 6), new BlockView(1, 5, 3)])]);
        var svg = Figures.Arch(arch, "fig-arch", "Shipped sub-network");
        var at = new[] { "kernel 3×3", "kernel 5×5", "kernel 7×7" }.Select(t => svg.IndexOf(t, StringComparison.Ordinal)).ToArray();
        at.ShouldAllBe(i => i >= 0);
        at.ShouldBeInOrder();
    }

    /// <summary>
    /// A measured device's bar is its measurement, which can lie beyond the prediction (examples/this-machine:
    /// gated 13.95 ms against 12 ms, predicted 10.74 ms): the axis reached 110 % and the bar ran off the plot.
    /// </summary>
    [Fact]
    public void The_fleet_axis_reaches_the_end_of_a_measured_bar_beyond_the_prediction()
    {
        var measured = Model(new IntervalView(13.42, 10.38, 13.95, "bootstrap 95% of the median"));
        var model = measured with { Devices = [measured.Devices[0] with { BudgetMs = 12, Predicted = new IntervalView(10.74, 10.74, 10.74, "none"), GatedMs = 13.95 }] };

        var fleet = Svg(HtmlReportRenderer.RenderText(model), "fig-fleet");

        var ticks = System.Text.RegularExpressions.Regex.Matches(fleet, @"<text[^>]*>\s*(\d+)\s*</text>")
            .Select(t => int.Parse(t.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        ticks.ShouldNotBeEmpty();
        ((double)ticks.Max()).ShouldBeGreaterThanOrEqualTo(100 * 13.95 / 12);
    }

    [Fact]
    public void The_same_model_gives_the_same_bytes_twice_in_one_process()
    {
        var model = Model(null);

        new HtmlReportRenderer().Render(model).ShouldBe(new HtmlReportRenderer().Render(model));
    }

    private static string Svg(string html, string id)
    {
        var at = html.IndexOf($"id=\"{id}\"", StringComparison.Ordinal);
        at.ShouldBeGreaterThan(0);
        return html[html.LastIndexOf("<svg ", at, StringComparison.Ordinal)..html.IndexOf("</svg>", at, StringComparison.Ordinal)];
    }
}
