using System.Globalization;
using System.Text;
using LatencyGate.Diagnostics;
using LatencyGate.Gating;
using LatencyGate.Workflows;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

namespace LatencyGate.MSBuild;

/// <summary>
/// The <c>LatencyGate</c> task: runs the gate on a manifest and reports every finding as an
/// MSBuild error or warning at its manifest location. A thin host: the core does the work.
/// Named like the task so that <c>&lt;UsingTask TaskName="LatencyGate" …/&gt;</c> finds it.
/// </summary>
public sealed class LatencyGate : Microsoft.Build.Utilities.Task, ICancelableTask
{
    private readonly CancellationTokenSource _cancellation = new();

    /// <summary>The latency-gate.yaml to check.</summary>
    [Required]
    public string Manifest { get; set; } = string.Empty;

    /// <summary>Folder for the JSON/JUnit/Markdown/SARIF reports; empty uses the manifest's setting.</summary>
    public string? ReportDirectory { get; set; }

    /// <summary>Folder for cached predictors; empty uses the core's default beside the manifest.</summary>
    public string? CacheDirectory { get; set; }

    /// <summary>When set, only this device is checked.</summary>
    public string? Device { get; set; }

    /// <summary>Upper bound on worker threads (a positive integer); empty lets the core decide.</summary>
    public string? MaxDegreeOfParallelism { get; set; }

    /// <summary>The project (<c>$(MSBuildProjectFullPath)</c>): where a missing manifest is reported, since its property is set there.</summary>
    public string? ProjectFile { get; set; }

    /// <summary>
    /// The command that runs the tool (<c>dotnet latency-gate</c>, or a path to <c>dotnet-latency-gate</c>;
    /// double quotes keep a path with spaces whole): devices with a <c>measure:</c> predictor are then
    /// measured by the tool in its own process. Empty: such devices are LG0510.
    /// </summary>
    public string? MeasureCommand { get; set; }

    /// <summary>Seconds one measured device may take before the tool is stopped (LG0607); empty is 600.</summary>
    public string? MeasureTimeout { get; set; }

    /// <summary>Report the gate's warnings as errors (and fail the build on them).</summary>
    public bool WarningsAsErrors { get; set; }

    /// <summary>
    /// Written (with the report paths, one a line) only when the gate passed, deleted otherwise:
    /// the target's Outputs, so an unchanged project skips the gate and a failed one re-runs it.
    /// </summary>
    public string? StampFile { get; set; }

    /// <summary>The report files the gate wrote, for later targets (item <c>LatencyGateReport</c>).</summary>
    [Output]
    public ITaskItem[] ReportFiles { get; private set; } = [];

    /// <summary>Every file the gate read.</summary>
    [Output]
    public ITaskItem[] InputFiles { get; private set; } = [];

    /// <summary>Seam for unit tests; the real gate otherwise.</summary>
    internal Func<CheckRequest, IProgress<WorkProgress>?, CancellationToken, CheckOutcome> Gate { get; set; } = GateRunner.Check;

    public void Cancel() => _cancellation.Cancel();

    public override bool Execute()
    {
        var passed = false;
        try
        {
            passed = Run();
        }
#pragma warning disable CA1031 // the host's last line of defence: a bug is reported as one coded error, never an MSBuild crash
        catch (Exception ex)
#pragma warning restore CA1031
        {
            // A user's mistake met inside parallel work arrives wrapped; it keeps its own code.
            switch (UserErrors.Unwrap(ex))
            {
                case LatencyGateException user:
                    foreach (var diagnostic in user.Diagnostics)
                    {
                        DiagnosticLogging.Log(Log, diagnostic, WarningsAsErrors, Manifest);
                    }

                    EnsureFailureLogged(user.ExitCode);
                    break;
                case OperationCanceledException when _cancellation.IsCancellationRequested:
                    DiagnosticLogging.Error(Log, TaskCodes.Cancelled, "the latency gate was cancelled", Manifest);
                    break;
                default:
                    DiagnosticLogging.Error(
                        Log,
                        TaskCodes.InternalError,
                        $"internal error in the LatencyGate task: {ex.GetType().Name}: {ex.Message}. This is a bug in LatencyGate; please report it (details in the build log at detailed verbosity).",
                        Manifest);
                    Log.LogMessage(MessageImportance.Low, "{0}", ex.ToString());
                    break;
            }
        }

        UpdateStamp(passed && !Log.HasLoggedErrors);
        return !Log.HasLoggedErrors;
    }

    private bool Run()
    {
        var manifest = Path.GetFullPath(Manifest);
        if (!File.Exists(manifest))
        {
            var inside = Path.Combine(manifest, "latency-gate.yaml");
            var what = !Directory.Exists(manifest) ? "not found"
                : File.Exists(inside) ? $"is a folder; name the manifest in it ({inside})"
                : "is a folder, not a manifest file";
            DiagnosticLogging.Error(
                Log,
                TaskCodes.ManifestNotFound,
                $"latency manifest '{manifest}' {what} (set LatencyGateManifest to an existing file, or LatencyGateEnabled=false)",
                string.IsNullOrWhiteSpace(ProjectFile) ? null : ProjectFile);
            return false;
        }

        if (!TryParseParallelism(out var parallelism) || !TryCreateMeasurer(out var measurer))
        {
            return false;
        }

        var request = new CheckRequest(manifest)
        {
            ReportDirectory = FullPathOrNull(ReportDirectory),
            CacheDirectory = FullPathOrNull(CacheDirectory),
            DeviceName = string.IsNullOrWhiteSpace(Device) ? null : Device.Trim(),
            MaxDegreeOfParallelism = parallelism,
            Measurer = measurer,
        };
        Log.LogMessage(MessageImportance.Normal, "LatencyGate: checking {0}", manifest);
        var outcome = Gate(request, new LogProgress(Log), _cancellation.Token);

        foreach (var diagnostic in outcome.Diagnostics)
        {
            DiagnosticLogging.Log(Log, diagnostic, WarningsAsErrors, Manifest);
        }

        foreach (var line in outcome.SummaryLines)
        {
            Log.LogMessage(MessageImportance.High, "{0}", line);
        }

        ReportFiles = [.. outcome.ReportFiles.Select(f => new TaskItem(f))];
        InputFiles = [.. outcome.InputFiles.Select(f => new TaskItem(f))];
        if (outcome.ExitCode != ExitCode.Success)
        {
            EnsureFailureLogged(outcome.ExitCode);
            return false;
        }

        return true;
    }

    private bool TryParseParallelism(out int? parallelism)
    {
        parallelism = null;
        if (string.IsNullOrWhiteSpace(MaxDegreeOfParallelism))
        {
            return true;
        }

        if (int.TryParse(MaxDegreeOfParallelism.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) && value > 0)
        {
            parallelism = value;
            return true;
        }

        DiagnosticLogging.Error(
            Log,
            TaskCodes.InvalidProperty,
            $"LatencyGateMaxDegreeOfParallelism must be a positive integer, not '{MaxDegreeOfParallelism}'");
        return false;
    }

    private bool TryCreateMeasurer(out ToolMeasurer? measurer)
    {
        measurer = null;
        var timeout = TimeSpan.FromSeconds(600);
        if (!string.IsNullOrWhiteSpace(MeasureTimeout))
        {
            if (!int.TryParse(MeasureTimeout.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var seconds) || seconds is <= 0 or > 86_400)
            {
                DiagnosticLogging.Error(Log, TaskCodes.InvalidProperty, $"LatencyGateMeasureTimeout must be a whole number of seconds from 1 to 86400, not '{EchoText.Cut(MeasureTimeout)}'");
                return false;
            }

            timeout = TimeSpan.FromSeconds(seconds);
        }

        if (string.IsNullOrWhiteSpace(MeasureCommand))
        {
            return true;
        }

        var words = ToolMeasurer.Words(MeasureCommand);
        if (words.Count == 0 || words[0].Length == 0)
        {
            DiagnosticLogging.Error(Log, TaskCodes.InvalidProperty, $"LatencyGateMeasureCommand names no command ('{EchoText.Cut(MeasureCommand)}'); set it to the command that runs the tool, e.g. 'dotnet latency-gate'");
            return false;
        }

        measurer = new ToolMeasurer(words, timeout, line => Log.LogMessage(MessageImportance.Normal, "LatencyGate: measure: {0}", line));
        return true;
    }

    // MSBuild turns "returned false without an error" into MSB4181; a coded error says more.
    private void EnsureFailureLogged(ExitCode exitCode)
    {
        if (!Log.HasLoggedErrors)
        {
            DiagnosticLogging.Error(
                Log,
                TaskCodes.FailedWithoutDiagnostic,
                string.Create(CultureInfo.InvariantCulture, $"the latency gate failed (exit code {(int)exitCode}, {exitCode}) without reporting why"),
                Manifest);
        }
    }

    private void UpdateStamp(bool passed)
    {
        if (string.IsNullOrWhiteSpace(StampFile))
        {
            return;
        }

        try
        {
            var stamp = Path.GetFullPath(StampFile);
            if (passed)
            {
                Directory.CreateDirectory(Path.GetDirectoryName(stamp)!);
                var text = new StringBuilder();
                foreach (var report in ReportFiles)
                {
                    text.Append(report.ItemSpec).Append('\n');
                }

                File.WriteAllText(stamp, text.ToString());
            }
            else if (File.Exists(stamp))
            {
                File.Delete(stamp);
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            Log.LogWarning(null, TaskCodes.StampNotWritten, null, StampFile, 0, 0, 0, 0,
                "could not update the stamp file ({0}); the gate will run again on the next build", ex.Message);
        }
    }

    private static string? FullPathOrNull(string? path) =>
        string.IsNullOrWhiteSpace(path) ? null : Path.GetFullPath(path.Trim());

    /// <summary>
    /// Synchronous progress (Progress&lt;T&gt; would post to a context MSBuild does not pump): one
    /// message per phase and per device, not per search generation, so a build log stays readable.
    /// </summary>
    private sealed class LogProgress(TaskLoggingHelper log) : IProgress<WorkProgress>
    {
        private readonly Lock _gate = new();
        private (string Phase, string? Item)? _last;

        public void Report(WorkProgress value)
        {
            lock (_gate)
            {
                if (_last == (value.Phase, value.Item))
                {
                    return;
                }

                _last = (value.Phase, value.Item);
                log.LogMessage(MessageImportance.Normal, "LatencyGate: {0}", value.ToString());
            }
        }
    }
}
