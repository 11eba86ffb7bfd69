using Shouldly;
using Xunit;
using GateTask = LatencyGate.MSBuild.LatencyGate;

namespace LatencyGate.Tests;

/// <summary>
/// A device with a <c>measure:</c> predictor under the task: with <c>LatencyGateMeasureCommand</c>
/// the real tool (this repository's build of it) measures the shipped arch in its own process, and
/// the verdict comes from the measured interval; without it, LG0510 as before.
/// </summary>
public sealed class MeasuredDeviceTaskTests : IDisposable
{
    private readonly TempDirectory _dir = new("lg-task-measure");
    private readonly FakeBuildEngine _engine;

    public MeasuredDeviceTaskTests() => _engine = new FakeBuildEngine(_dir.Combine("App.csproj"));

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void A_budget_far_above_the_measured_latency_passes_with_the_measurement_in_the_log()
    {
        var task = Task(Manifest(budgetMs: 10_000), BuiltTool.Command);

        task.Execute().ShouldBeTrue(string.Join("\n", _engine.Errors.Select(e => e.Code + " " + e.Message)));

        _engine.Errors.ShouldBeEmpty();
        _engine.Messages.ShouldContain(m => m.Message!.Contains("measured", StringComparison.Ordinal) && m.Message.Contains("onnxruntime", StringComparison.Ordinal));
    }

    [Fact]
    public void A_budget_far_below_the_measured_latency_fails_at_the_device()
    {
        var manifest = Manifest(budgetMs: 0.001);
        var task = Task(manifest, BuiltTool.Command);

        task.Execute().ShouldBeFalse();

        var error = _engine.Errors.ShouldHaveSingleItem();
        error.File.ShouldBe(manifest);
        error.Message!.ShouldContain("measured");
        error.Message!.ShouldContain("this-machine");
    }

    [Fact]
    public void Without_a_measure_command_the_device_is_LG0510_naming_the_property()
    {
        var task = Task(Manifest(budgetMs: 10_000), measureCommand: null);

        task.Execute().ShouldBeFalse();

        var error = _engine.Errors.ShouldHaveSingleItem();
        error.Code.ShouldBe("LG0510");
        error.Message!.ShouldContain("LatencyGateMeasureCommand");
    }

    [Fact]
    public void A_command_that_cannot_be_started_is_LG0605_at_the_device()
    {
        var manifest = Manifest(budgetMs: 10_000);
        var task = Task(manifest, "/nonexistent/latency-gate-tool");

        task.Execute().ShouldBeFalse();

        var error = _engine.Errors.ShouldHaveSingleItem();
        (error.Code, error.File).ShouldBe(("LG0605", manifest));
        error.LineNumber.ShouldBeGreaterThan(0);
        error.Message!.ShouldContain("/nonexistent/latency-gate-tool");
    }

    [Fact]
    public void The_tools_own_coded_error_is_passed_on_at_the_device()
    {
        // The tool refuses an arch list it cannot read: here the "tool" is a shell that fails as it would.
        var script = _dir.Write("fake-tool.sh", "echo 'error LG0801: the runtime could not load' >&2\nexit 2\n");
        var manifest = Manifest(budgetMs: 10_000);
        var task = Task(manifest, $"sh \"{script}\"");

        task.Execute().ShouldBeFalse();

        var error = _engine.Errors.ShouldHaveSingleItem();
        (error.Code, error.File).ShouldBe(("LG0801", manifest));
        error.Message.ShouldBe("measuring in the tool: the runtime could not load");
    }

    [Fact]
    public void A_tool_that_exits_0_with_an_unreadable_row_is_LG0606()
    {
        // Writes a measurements file of another layout, as a tool of another version might.
        var script = _dir.Write("other-tool.sh", "while [ $# -gt 0 ]; do if [ \"$1\" = --out ]; then printf 'arch,latency_ms\\nr128,1\\n' > \"$2\"; fi; shift; done\nexit 0\n");
        var task = Task(Manifest(budgetMs: 10_000), $"sh \"{script}\"");

        task.Execute().ShouldBeFalse();

        var error = _engine.Errors.ShouldHaveSingleItem();
        error.Code.ShouldBe("LG0606");
        error.Message!.ShouldContain("could not be read");
    }

    [Fact]
    public void A_tool_that_exits_0_and_writes_nothing_is_LG0606_saying_so()
    {
        // Round 10: the message quoted measure's resume reader ("cannot read the measurements to resume").
        var script = _dir.Write("silent-tool.sh", "exit 0\n");
        var task = Task(Manifest(budgetMs: 10_000), $"sh \"{script}\"");

        task.Execute().ShouldBeFalse();

        var error = _engine.Errors.ShouldHaveSingleItem();
        error.Code.ShouldBe("LG0606");
        error.Message!.ShouldContain("exited 0 but wrote no measurements file");
        error.Message!.ShouldNotContain("resume");
    }

    [Fact]
    public void The_tool_runs_in_the_manifests_folder_so_a_local_tool_of_the_repository_is_found()
    {
        var script = _dir.Write("pwd-tool.sh", "echo \"error LG0801: ran in $(pwd)\" >&2\nexit 2\n");
        var manifest = Manifest(budgetMs: 10_000);

        Task(manifest, $"sh \"{script}\"").Execute().ShouldBeFalse();

        _engine.Errors.ShouldHaveSingleItem().Message.ShouldBe("measuring in the tool: ran in " + Path.GetDirectoryName(manifest));
    }

    [Fact]
    public void A_tool_that_outlives_the_timeout_is_stopped_with_LG0607()
    {
        var script = _dir.Write("slow-tool.sh", "sleep 30\n");
        var task = Task(Manifest(budgetMs: 10_000), $"sh \"{script}\"");
        task.MeasureTimeout = "1";
        var watch = System.Diagnostics.Stopwatch.StartNew();

        task.Execute().ShouldBeFalse();

        watch.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(20));
        _engine.Errors.ShouldHaveSingleItem().Code.ShouldBe("LG0607");
    }

    [Fact]
    public void A_tool_that_leaves_a_process_holding_its_output_does_not_hang_the_build()
    {
        // Round 10: the task waited for the tool's streams to end, which a background child kept open (here 60 s, past the timeout).
        var script = _dir.Write("bg-tool.sh", "(sleep 60) &\necho 'error LG0801: the runtime could not load' >&2\nexit 2\n");
        var task = Task(Manifest(budgetMs: 10_000), $"sh \"{script}\"");
        task.MeasureTimeout = "30";
        var watch = System.Diagnostics.Stopwatch.StartNew();

        task.Execute().ShouldBeFalse();

        watch.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(20));
        _engine.Errors.ShouldHaveSingleItem().Code.ShouldBe("LG0801");
    }

    [Fact]
    public void A_tool_that_prints_without_end_is_logged_in_bounded_lines()
    {
        // Round 10: one 20 MB line was logged whole, and 300,000 lines were 300,000 messages.
        var script = _dir.Write("loud-tool.sh", "head -c 20000000 /dev/zero | tr '\\0' a\necho\nyes | head -n 300000\nhead -c 20000000 /dev/zero | tr '\\0' b >&2\nexit 1\n");
        var task = Task(Manifest(budgetMs: 10_000), $"sh \"{script}\"");

        task.Execute().ShouldBeFalse();

        _engine.Messages.Count.ShouldBeLessThan(1100);
        _engine.Messages.ShouldAllBe(m => m.Message!.Length < 1000);
        _engine.Messages.ShouldContain(m => m.Message!.Contains("more lines of the tool's output not shown", StringComparison.Ordinal));
        var error = _engine.Errors.ShouldHaveSingleItem();
        error.Code.ShouldBe("LG0606");
        error.Message!.Length.ShouldBeLessThan(1000);
    }

    [Fact]
    public void A_tool_that_prints_control_characters_is_a_coded_error_and_the_reports_are_written()
    {
        // Round 10: an escape character in the tool's stderr reached the JUnit report, whose XmlWriter threw: LG0699, no reports.
        var script = _dir.Write("garbage-tool.sh", "printf 'error LG0801: a\\033[31mred\\001\\n' >&2\nexit 2\n");
        var task = Task(Manifest(budgetMs: 10_000), $"sh \"{script}\"");

        task.Execute().ShouldBeFalse();

        var error = _engine.Errors.ShouldHaveSingleItem();
        error.Code.ShouldBe("LG0801");
        error.Message.ShouldBe("measuring in the tool: a\\u001b[31mred\\u0001");
        var junit = Directory.GetFiles(_dir.Combine("reports"), "*.junit.xml").ShouldHaveSingleItem();
        System.Xml.Linq.XDocument.Load(junit).ShouldNotBeNull();
    }

    [Theory]
    [InlineData("0")]
    [InlineData("soon")]
    public void A_bad_timeout_is_LG0603(string timeout)
    {
        var task = Task(Manifest(budgetMs: 10_000), BuiltTool.Command);
        task.MeasureTimeout = timeout;

        task.Execute().ShouldBeFalse();

        _engine.Errors.ShouldHaveSingleItem().Code.ShouldBe("LG0603");
    }

    [Fact]
    public void Words_split_on_blanks_and_keep_quoted_paths_whole()
    {
        MSBuild.ToolMeasurer.Words("dotnet latency-gate").ShouldBe(["dotnet", "latency-gate"]);
        MSBuild.ToolMeasurer.Words("  \"/opt/my tools/dotnet-latency-gate\"  --x ").ShouldBe(["/opt/my tools/dotnet-latency-gate", "--x"]);
        MSBuild.ToolMeasurer.Words("\"\"").ShouldBe([string.Empty]);
        MSBuild.ToolMeasurer.Words("   ").ShouldBeEmpty();
    }

    private GateTask Task(string manifest, string? measureCommand) =>
        new() { BuildEngine = _engine, Manifest = manifest, MeasureCommand = measureCommand, ReportDirectory = _dir.Combine("reports"), CacheDirectory = _dir.Combine("cache") };

    private string Manifest(double budgetMs) =>
        MeasuredManifest.Write(_dir.Path, budgetMs, "{runtime: onnxruntime, warmup: 1, runs: 5, passes: 1}");
}
