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
        with.ShouldContain("<td class=\"num\">10.40 (10.10–10.90)</td>");
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
