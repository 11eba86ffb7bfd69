using LatencyGate.Diagnostics;
using LatencyGate.Gating;
using LatencyGate.Workflows;
using Microsoft.Build.Framework;
using Shouldly;
using Xunit;
using GateTask = LatencyGate.MSBuild.LatencyGate;

namespace LatencyGate.Tests;

/// <summary>The task against a fake build engine: what MSBuild's loggers (IDEs, CI) receive.</summary>
public sealed class LatencyGateTaskTests : IDisposable
{
    private readonly TempDirectory _dir = new("lg-task");
    private readonly FakeBuildEngine _engine;
    private readonly string _manifest;

    public LatencyGateTaskTests()
    {
        _manifest = _dir.Write("latency-gate.yaml", "version: 1\n");
        _engine = new FakeBuildEngine(_dir.Combine("App.csproj"));
    }

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Manifest_errors_arrive_as_build_errors_with_code_file_line_and_column()
    {
        var task = NewTask(_ => throw new LatencyGateException(
        [
            Diagnostic.Error("LG0401", "unknown key 'budgetms' in device 'note10'; did you mean 'budget_ms'?", new SourceLocation(_manifest, 7, 5)),
            Diagnostic.Error("LG0402", "'budget_ms' must be > 0; got -3", new SourceLocation(_manifest, 12, 16)),
        ]));

        task.Execute().ShouldBeFalse();

        _engine.Errors.Count.ShouldBe(2);
        var first = _engine.Errors[0];
        first.Code.ShouldBe("LG0401");
        first.File.ShouldBe(_manifest);
        first.LineNumber.ShouldBe(7);
        first.ColumnNumber.ShouldBe(5);
        first.Message.ShouldBe("unknown key 'budgetms' in device 'note10'; did you mean 'budget_ms'?");
        first.Subcategory.ShouldBeNull();
        var second = _engine.Errors[1];
        (second.Code, second.LineNumber, second.ColumnNumber).ShouldBe(("LG0402", 12, 16));
        _engine.Errors.ShouldAllBe(e => e.Code.StartsWith("LG", StringComparison.Ordinal));
    }

    [Fact]
    public void Real_gate_on_a_broken_manifest_reports_coded_errors_at_the_manifest_and_never_throws()
    {
        File.WriteAllText(_manifest, "version: 1\ndevices:\n  - name: [unclosed\n");
        var task = new GateTask { BuildEngine = _engine, Manifest = _manifest };

        task.Execute().ShouldBeFalse();

        _engine.Errors.ShouldNotBeEmpty();
        _engine.Errors.ShouldAllBe(e => e.Code.StartsWith("LG", StringComparison.Ordinal) && e.File == _manifest);
    }

    [Fact]
    public void A_broken_budget_is_an_error_at_the_device_location_with_figures_and_summary()
    {
        var location = new SourceLocation(_manifest, 9, 16);
        var outcome = new CheckOutcome(
            ExitCode.GateFailed,
            [Diagnostic.Error("LG0450", "device 'note10': predicted 31.4 ms [29.0, 33.9] exceeds the budget of 25 ms", location)],
            [_dir.Combine("reports", "latency-gate.json")],
            [_manifest],
            ["note10  31.4 ms  budget 25 ms  FAIL"]);
        var task = NewTask(_ => outcome);

        task.Execute().ShouldBeFalse();

        var error = _engine.Errors.ShouldHaveSingleItem();
        (error.Code, error.File, error.LineNumber, error.ColumnNumber).ShouldBe(("LG0450", _manifest, 9, 16));
        error.Message!.ShouldContain("note10");
        error.Message!.ShouldContain("31.4 ms");
        _engine.Messages.ShouldContain(m => m.Message == "note10  31.4 ms  budget 25 ms  FAIL" && m.Importance == MessageImportance.High);
        task.ReportFiles.Select(i => i.ItemSpec).ShouldBe([_dir.Combine("reports", "latency-gate.json")]);
    }

    [Fact]
    public void A_passing_gate_succeeds_exposes_reports_and_writes_the_stamp()
    {
        var reports = new[] { _dir.Combine("r", "latency-gate.json"), _dir.Combine("r", "latency-gate.junit.xml") };
        var stamp = _dir.Combine("obj", "latency-gate.stamp");
        var task = NewTask(_ => new CheckOutcome(ExitCode.Success, [], reports, [_manifest], ["all budgets met"]));
        task.StampFile = stamp;

        task.Execute().ShouldBeTrue();

        _engine.Errors.ShouldBeEmpty();
        _engine.Warnings.ShouldBeEmpty();
        task.ReportFiles.Select(i => i.ItemSpec).ShouldBe(reports);
        task.InputFiles.Select(i => i.ItemSpec).ShouldBe([_manifest]);
        File.ReadAllLines(stamp).ShouldBe(reports);
    }

    [Fact]
    public void A_failing_gate_deletes_a_previous_stamp_so_the_next_build_checks_again()
    {
        var stamp = _dir.Write("obj/latency-gate.stamp", "old\n");
        var task = NewTask(_ => new CheckOutcome(ExitCode.GateFailed, [Diagnostic.Error("LG0450", "over budget", new SourceLocation(_manifest, 3, 3))], [], [], []));
        task.StampFile = stamp;

        task.Execute().ShouldBeFalse();

        File.Exists(stamp).ShouldBeFalse();
    }

    [Fact]
    public void Warnings_are_warnings_with_positions_unless_warnings_as_errors()
    {
        var warning = Diagnostic.Warning("LG0451", "device 'pixel1': 23.9 ms is within 5 % of the budget of 25 ms", new SourceLocation(_manifest, 14, 16));
        var outcome = new CheckOutcome(ExitCode.Success, [warning], [], [_manifest], []);

        NewTask(_ => outcome).Execute().ShouldBeTrue();
        var logged = _engine.Warnings.ShouldHaveSingleItem();
        (logged.Code, logged.File, logged.LineNumber, logged.ColumnNumber).ShouldBe(("LG0451", _manifest, 14, 16));
        _engine.Errors.ShouldBeEmpty();

        var strict = NewTask(_ => outcome);
        strict.WarningsAsErrors = true;
        strict.Execute().ShouldBeFalse();
        var error = _engine.Errors.ShouldHaveSingleItem();
        (error.Code, error.LineNumber, error.ColumnNumber).ShouldBe(("LG0451", 14, 16));
    }

    [Fact]
    public void A_diagnostic_without_a_location_is_placed_at_the_manifest_not_at_the_targets_file()
    {
        NewTask(_ => throw new LatencyGateException("LG0420", "no device could be checked")).Execute().ShouldBeFalse();

        var error = _engine.Errors.ShouldHaveSingleItem();
        (error.Code, error.File, error.LineNumber).ShouldBe(("LG0420", _manifest, 0));
    }

    [Fact]
    public void A_missing_manifest_is_reported_at_the_project_that_names_it()
    {
        var task = NewTask(_ => new CheckOutcome(ExitCode.Success, [], [], [], []));
        task.Manifest = _dir.Combine("nope.yaml");
        task.ProjectFile = _dir.Combine("App.csproj");

        task.Execute().ShouldBeFalse();

        _engine.Errors.ShouldHaveSingleItem().File.ShouldBe(_dir.Combine("App.csproj"));
    }

    [Fact]
    public void A_failure_without_a_diagnostic_still_logs_a_coded_error()
    {
        NewTask(_ => new CheckOutcome(ExitCode.GateFailed, [], [], [], [])).Execute().ShouldBeFalse();

        var error = _engine.Errors.ShouldHaveSingleItem();
        error.Code.ShouldBe("LG0602");
        error.Message!.ShouldContain("exit code 1");
    }

    [Fact]
    public void A_missing_manifest_is_LG0600_and_the_gate_is_not_called()
    {
        var called = false;
        var task = NewTask(_ =>
        {
            called = true;
            return new CheckOutcome(ExitCode.Success, [], [], [], []);
        });
        task.Manifest = _dir.Combine("nope.yaml");

        task.Execute().ShouldBeFalse();

        called.ShouldBeFalse();
        var error = _engine.Errors.ShouldHaveSingleItem();
        error.Code.ShouldBe("LG0600");
        error.Message!.ShouldContain(_dir.Combine("nope.yaml"));
    }

    [Fact]
    public void A_bug_in_the_gate_is_one_LG0699_error_not_an_exception()
    {
        var task = NewTask(_ => throw new InvalidOperationException("boom"));

        Should.NotThrow(() => task.Execute()).ShouldBeFalse();

        var error = _engine.Errors.ShouldHaveSingleItem();
        error.Code.ShouldBe("LG0699");
        error.Message!.ShouldContain("InvalidOperationException: boom");
        _engine.Messages.ShouldContain(m => m.Importance == MessageImportance.Low && m.Message!.Contains("at ", StringComparison.Ordinal));
    }

    /// <summary>Issue 12 item 3: a user's mistake met inside parallel work is its own coded error, never LG0699.</summary>
    [Fact]
    public void A_user_error_wrapped_by_parallel_work_keeps_its_code_not_LG0699()
    {
        var task = NewTask(_ => throw new AggregateException(
            new LatencyGateException("LG0024", "no lookup table for resolution 128", new SourceLocation(_manifest, 9, 12)),
            new AggregateException(new LatencyGateException("LG0024", "no lookup table for resolution 128", new SourceLocation(_manifest, 9, 12)))));

        task.Execute().ShouldBeFalse();

        var error = _engine.Errors.ShouldHaveSingleItem();
        (error.Code, error.LineNumber, error.ColumnNumber).ShouldBe(("LG0024", 9, 12));
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-2")]
    [InlineData("many")]
    public void A_bad_parallelism_is_LG0603(string value)
    {
        var task = NewTask(_ => new CheckOutcome(ExitCode.Success, [], [], [], []));
        task.MaxDegreeOfParallelism = value;

        task.Execute().ShouldBeFalse();

        _engine.Errors.ShouldHaveSingleItem().Code.ShouldBe("LG0603");
    }

    [Fact]
    public void Properties_reach_the_request_as_full_paths()
    {
        CheckRequest? seen = null;
        var task = NewTask(r =>
        {
            seen = r;
            return new CheckOutcome(ExitCode.Success, [], [], [], []);
        });
        task.ReportDirectory = _dir.Combine("reports");
        task.CacheDirectory = _dir.Combine("cache");
        task.Device = " note10 ";
        task.MaxDegreeOfParallelism = "2";

        task.Execute().ShouldBeTrue();

        seen.ShouldNotBeNull();
        seen.ManifestPath.ShouldBe(_manifest);
        seen.ReportDirectory.ShouldBe(_dir.Combine("reports"));
        seen.CacheDirectory.ShouldBe(_dir.Combine("cache"));
        seen.DeviceName.ShouldBe("note10");
        seen.MaxDegreeOfParallelism.ShouldBe(2);
    }

    [Fact]
    public void Empty_optional_properties_leave_the_core_defaults()
    {
        CheckRequest? seen = null;
        var task = NewTask(r =>
        {
            seen = r;
            return new CheckOutcome(ExitCode.Success, [], [], [], []);
        });
        task.ReportDirectory = string.Empty;
        task.CacheDirectory = " ";
        task.Device = string.Empty;

        task.Execute().ShouldBeTrue();

        seen.ShouldBe(new CheckRequest(_manifest));
    }

    [Fact]
    public void Cancelling_the_build_stops_the_gate_with_LG0601()
    {
        GateTask? task = null;
        task = NewTask((_, token) =>
        {
            task!.Cancel();
            token.ThrowIfCancellationRequested();
            return new CheckOutcome(ExitCode.Success, [], [], [], []);
        });

        task.Execute().ShouldBeFalse();

        _engine.Errors.ShouldHaveSingleItem().Code.ShouldBe("LG0601");
    }

    [Fact]
    public void Progress_is_logged_as_normal_messages_once_per_phase_and_device()
    {
        var task = NewTask((r, _, progress) =>
        {
            progress!.Report(new WorkProgress("building predictors", 0, 2, "note10"));
            progress.Report(new WorkProgress("building predictors", 1, 2, "pixel4"));
            for (var g = 1; g <= 50; g++)
            {
                progress.Report(new WorkProgress("searching", g, 50) { Unit = "generations" });
            }

            return new CheckOutcome(ExitCode.Success, [], [], [], []);
        });

        task.Execute().ShouldBeTrue();

        var logged = _engine.Messages.Where(m => m.Message!.StartsWith("LatencyGate: ", StringComparison.Ordinal) && m.Importance == MessageImportance.Normal).Select(m => m.Message).ToArray();
        logged.ShouldContain("LatencyGate: building predictors 0/2 (note10)");
        logged.ShouldContain("LatencyGate: building predictors 1/2 (pixel4)");
        logged.Count(m => m!.Contains("searching", StringComparison.Ordinal)).ShouldBe(1, "a search's generations are one message, not fifty");
    }

    private GateTask NewTask(Func<CheckRequest, CheckOutcome> gate) => NewTask((r, _, _) => gate(r));

    private GateTask NewTask(Func<CheckRequest, CancellationToken, CheckOutcome> gate) => NewTask((r, t, _) => gate(r, t));

    private GateTask NewTask(Func<CheckRequest, CancellationToken, IProgress<WorkProgress>?, CheckOutcome> gate) => new()
    {
        BuildEngine = _engine,
        Manifest = _manifest,
        Gate = (request, progress, token) => gate(request, token, progress),
    };
}
