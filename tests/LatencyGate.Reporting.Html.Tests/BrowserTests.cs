using System.Text.Json;
using Microsoft.Playwright;
using Shouldly;
using Xunit;

namespace LatencyGate.Tests;

/// <summary>
/// The HTML reports opened in headless chromium: every figure rendered (a non-empty SVG with the
/// expected marks, placed where the numbers say), no console or page errors, and a full-page PNG
/// screenshot saved as a test artifact (bin/…/artifacts; with LATENCYGATE_UPDATE_SCREENSHOTS=1 also into docs/images).
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class BrowserTests(BrowserFixture fixture)
{
    // For each figure: its size on the page and, in the data area (groups clipped to the rectangle
    // most groups use; the legend has its own), the marks by colour with their screen boxes.
    private const string Inspect = """
        () => [...document.querySelectorAll('figure[data-figure]')].map(f => {
          const svg = f.querySelector('svg');
          const box = svg.getBoundingClientRect();
          const clips = {};
          svg.querySelectorAll('clipPath').forEach(c => { const r = c.querySelector('rect'); clips[c.id] = r ? r.outerHTML : ''; });
          const counts = {};
          Object.values(clips).forEach(v => counts[v] = (counts[v] || 0) + 1);
          const area = Object.keys(counts).sort((a, b) => counts[b] - counts[a])[0];
          const marks = [];
          svg.querySelectorAll('g[clip-path]').forEach(g => {
            const id = g.getAttribute('clip-path').slice(5, -1);
            if (clips[id] !== area) return;
            g.querySelectorAll('[fill],[stroke]').forEach(e => {
              const b = e.getBoundingClientRect();
              marks.push({ fill: e.getAttribute('fill') || '', stroke: e.getAttribute('stroke') || '', left: b.left, right: b.right, top: b.top, bottom: b.bottom, width: b.width, height: b.height, cx: b.left + b.width / 2 });
            });
          });
          const texts = [...svg.querySelectorAll('text')].filter(t => t.textContent.trim()).map(t => {
            const b = t.getBoundingClientRect();
            return { text: t.textContent.trim(), left: b.left, right: b.right, top: b.top, bottom: b.bottom };
          });
          return { kind: f.dataset.figure, id: svg.id, width: box.width, height: box.height, title: svg.querySelector('title')?.textContent || '', marks, texts };
        })
        """;

    [BrowserFact]
    public async Task The_fleet_report_draws_one_bar_per_device_under_the_budget_line()
    {
        var figures = await Open(Reports.Fleet.Html, "fleet-report.png");

        var fleet = figures.Single(f => f.Kind == "fleet");
        var bars = fleet.Marks.Where(m => m.Fill == "#2C7FB8" && m.Width > 0 && m.Height > 0).ToArray();
        bars.Length.ShouldBe(5);
        var budget = fleet.Marks.Where(m => m.Stroke == "#D62728").ShouldHaveSingleItem();
        // Every device passes: every bar ends left of the 100 % line.
        bars.ShouldAllBe(b => b.Right < budget.Cx);
        // One interval figure per device, each with its budget line.
        var intervals = figures.Where(f => f.Kind == "interval").ToArray();
        intervals.Length.ShouldBe(5);
        intervals.ShouldAllBe(f => f.Marks.Any(m => m.Stroke == "#D62728"));
        figures.Where(f => f.Kind == "arch").ShouldHaveSingleItem().Title.ShouldContain("12 blocks");
        // Predictor quality for the one device with held-out measurements (edge-npu: 50 rows).
        figures.Where(f => f.Kind == "scatter").ShouldHaveSingleItem().Marks.Count(m => m.Fill == "#2C7FB8" && m.Width > 0).ShouldBe(50);
        figures.Where(f => f.Kind == "coverage").ShouldHaveSingleItem().Marks.Count(m => m.Fill == "#2C7FB8").ShouldBe(6);
    }

    /// <summary>
    /// The fleet figure's legend covers no data: in the lower right corner of the data area it lay over
    /// the budget line (at 100 % of a 110 % axis) and the bottom device's bar.
    /// </summary>
    [BrowserFact]
    public async Task The_fleet_legend_covers_neither_the_budget_line_nor_a_bar()
    {
        var figures = await Open(Reports.Fleet.Html, "fleet-report.png");

        var fleet = figures.Single(f => f.Kind == "fleet");
        var budget = fleet.Marks.Where(m => m.Stroke == "#D62728").ShouldHaveSingleItem();
        var bars = fleet.Marks.Where(m => m.Fill == "#2C7FB8" && m.Width > 0 && m.Height > 0).ToArray();
        bars.Length.ShouldBe(5);
        var legend = fleet.Texts.Where(t => t.Text is "budget (100 %)" or "prediction (whisker: interval)").ToArray();
        legend.Length.ShouldBe(2);
        foreach (var entry in legend)
        {
            Overlaps(entry, budget).ShouldBeFalse($"the legend's '{entry.Text}' ({entry.Left:0}–{entry.Right:0} × {entry.Top:0}–{entry.Bottom:0}) covers the budget line ({budget.Left:0}–{budget.Right:0} × {budget.Top:0}–{budget.Bottom:0})");
            bars.ShouldAllBe(b => !Overlaps(entry, b), $"the legend's '{entry.Text}' covers a bar");
        }
    }

    private static bool Overlaps(Label text, Mark mark) =>
        text.Left < mark.Right && mark.Left < text.Right && text.Top < mark.Bottom && mark.Top < text.Bottom;

    [BrowserFact]
    public async Task The_sweep_report_marks_the_chosen_point_within_the_budget_line()
    {
        var figures = await Open(Reports.SweepReport, "sweep-report.png");

        var front = figures.Single(f => f.Kind == "front");
        var budget = front.Marks.Where(m => m.Stroke == "#D62728").ShouldHaveSingleItem();
        var chosen = front.Marks.Where(m => m.Fill == "#FF7F0E").ShouldHaveSingleItem();
        chosen.Cx.ShouldBeLessThanOrEqualTo(budget.Cx + 1);
        front.Marks.Count(m => m.Stroke == "#636363").ShouldBeGreaterThan(0);
        figures.Single(f => f.Kind == "interval").Marks.ShouldContain(m => m.Stroke == "#D62728");
        figures.Single(f => f.Kind == "arch").Title.ShouldStartWith("Chosen sub-network");
    }

    /// <summary>
    /// No label of a figure is cut by the figure's edge, at a laptop width and at a narrow one: ScottPlot
    /// centred the last bottom tick on the figure's right edge, so the fleet axis's "110" read "11".
    /// </summary>
    [BrowserFact]
    public async Task Every_figure_label_lies_inside_its_figure_at_1280_and_800_pixels()
    {
        foreach (var (report, width) in new[] { Reports.Fleet.Html, Reports.SweepReport }.SelectMany(r => new[] { (r, 1280), (r, 800) }))
        {
            var browser = fixture.Browser ?? throw new InvalidOperationException("chromium is required (LATENCYGATE_REQUIRE_BROWSER=1) but was not found");
            await using var context = await browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = width, Height = 900 } });
            var page = await context.NewPageAsync();
            await page.GotoAsync(new Uri(report).AbsoluteUri, new PageGotoOptions { WaitUntil = WaitUntilState.Load });
            var labels = await page.EvaluateAsync<JsonElement>(CutLabels);

            labels.GetProperty("checked").GetInt32().ShouldBeGreaterThan(50);
            labels.GetProperty("cut").EnumerateArray().Select(w => w.GetString()).ShouldBeEmpty($"{Path.GetFileName(report)} at {width} px");
        }
    }

    // Every text of every figure, and those whose box reaches outside the figure's SVG box.
    private const string CutLabels = """
        () => {
          const cut = []; let checked = 0;
          document.querySelectorAll('figure[data-figure] svg').forEach(svg => {
            const box = svg.getBoundingClientRect();
            svg.querySelectorAll('text').forEach(t => {
              const r = t.getBoundingClientRect();
              if (r.width === 0 || !t.textContent.trim()) return;
              checked++;
              if (r.left < box.left - 0.5 || r.right > box.right + 0.5 || r.top < box.top - 0.5 || r.bottom > box.bottom + 0.5)
                cut.push(svg.id + ': ' + t.textContent.trim());
            });
          });
          return { checked, cut };
        }
        """;

    /// <summary>
    /// Long findings wrap between words: a CSS rule that breaks anywhere split "LUT" and "it" across
    /// lines in the committed screenshot. Every word of the findings list must sit on one line.
    /// </summary>
    [BrowserFact]
    public async Task The_findings_wrap_between_words_not_inside_them()
    {
        var browser = fixture.Browser ?? throw new InvalidOperationException("chromium is required (LATENCYGATE_REQUIRE_BROWSER=1) but was not found");
        await using var context = await browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1100, Height = 900 } });
        var page = await context.NewPageAsync();
        await page.GotoAsync(new Uri(Reports.Fleet.Html).AbsoluteUri, new PageGotoOptions { WaitUntil = WaitUntilState.Load });
        var words = await page.EvaluateAsync<JsonElement>(SplitWords);

        words.GetProperty("checked").GetInt32().ShouldBeGreaterThan(50);
        words.GetProperty("split").EnumerateArray().Select(w => w.GetString()).ShouldBeEmpty();
    }

    // Each word of the findings (between spaces and hyphens, where lines may break; up to 40 characters:
    // longer ones may have to break anywhere), and those whose glyphs lie on more than one line.
    private const string SplitWords = """
        () => {
          const split = []; let checked = 0;
          document.querySelectorAll('ul.notes code').forEach(code => {
            const walker = document.createTreeWalker(code, NodeFilter.SHOW_TEXT);
            for (let node = walker.nextNode(); node; node = walker.nextNode()) {
              for (const m of node.textContent.matchAll(/[^\s-]+/g)) {
                if (m[0].length > 40) continue;
                const range = document.createRange();
                range.setStart(node, m.index); range.setEnd(node, m.index + m[0].length);
                const tops = new Set([...range.getClientRects()].map(r => Math.round(r.top)));
                checked++;
                if (tops.size > 1) split.push(m[0]);
              }
            }
          });
          return { checked, split };
        }
        """;

    private async Task<Figure[]> Open(string path, string screenshot)
    {
        var browser = fixture.Browser ?? throw new InvalidOperationException("chromium is required (LATENCYGATE_REQUIRE_BROWSER=1) but was not found");
        await using var context = await browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1100, Height = 900 } });
        var page = await context.NewPageAsync();
        var errors = new List<string>();
        page.Console += (_, message) =>
        {
            if (message.Type is "error" or "warning")
            {
                errors.Add(message.Type + ": " + message.Text);
            }
        };
        page.PageError += (_, error) => errors.Add("page error: " + error);
        page.RequestFailed += (_, request) => errors.Add("request failed: " + request.Url);

        await page.GotoAsync(new Uri(path).AbsoluteUri, new PageGotoOptions { WaitUntil = WaitUntilState.Load });
        var json = await page.EvaluateAsync<JsonElement>(Inspect);
        var figures = json.Deserialize<Figure[]>(new JsonSerializerOptions { PropertyNameCaseInsensitive = true })!;
        await SaveScreenshot(page, screenshot);

        errors.ShouldBeEmpty();
        figures.ShouldNotBeEmpty();
        figures.ShouldAllBe(f => f.Width > 200 && f.Height > 100 && f.Marks.Length > 0 && f.Title.Length > 0);
        return figures;
    }

    private static async Task SaveScreenshot(IPage page, string name)
    {
        var artifacts = Path.Combine(AppContext.BaseDirectory, "artifacts");
        Directory.CreateDirectory(artifacts);
        var file = Path.Combine(artifacts, name);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = file, FullPage = true });
        new FileInfo(file).Length.ShouldBeGreaterThan(10_000);
        if (Environment.GetEnvironmentVariable("LATENCYGATE_UPDATE_SCREENSHOTS") == "1")
        {
            File.Copy(file, Path.Combine(ReferenceData.RepositoryRoot, "docs", "images", name), overwrite: true);
        }
    }

    public sealed record Mark(string Fill, string Stroke, double Left, double Right, double Top, double Bottom, double Width, double Height, double Cx);

    public sealed record Label(string Text, double Left, double Right, double Top, double Bottom);

    public sealed record Figure(string Kind, string Id, double Width, double Height, string Title, Mark[] Marks, Label[] Texts);
}
