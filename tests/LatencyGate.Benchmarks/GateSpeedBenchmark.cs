using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using LatencyGate.Diagnostics;
using LatencyGate.Workflows;

namespace LatencyGate.Benchmarks;

/// <summary>
/// Issue 6's timing line: whole-process wall and CPU time of <c>check</c> on examples/fleet with the
/// Release CLI (<c>dotnet LatencyGate.Cli.dll check …</c>), cold (fresh copy, empty cache) and warm
/// (second run, same cache), plus process start alone and the in-process phases of one cold and one
/// warm run. Targets: ≤ 10 s cold, ≤ 3 s warm on 2 cores. Needs no reference data.
/// </summary>
internal sealed class GateSpeedBenchmark : ISpeedBenchmark
{
#if DEBUG
    private const string Configuration = "Debug";
#else
    private const string Configuration = "Release";
#endif

    private const int Repeats = 3;

    public string Name => "gate";

    public IEnumerable<SpeedFigure> Run(BenchmarkContext context)
    {
        var root = RepositoryRoot();
        var cli = Path.Combine(root, "src", "LatencyGate.Cli", "bin", Configuration, "net10.0", "LatencyGate.Cli.dll");
        if (!File.Exists(cli))
        {
            throw new InvalidOperationException($"{cli} not found: build it first (dotnet build src/LatencyGate.Cli -c {Configuration})");
        }

        var fleet = Path.Combine(root, "examples", "fleet");
        var work = Path.Combine(Path.GetTempPath(), "lg-gate-bench-" + Path.GetRandomFileName());
        try
        {
            foreach (var figure in Measure(context, cli, fleet, work))
            {
                yield return figure;
            }
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    private static IEnumerable<SpeedFigure> Measure(BenchmarkContext context, string cli, string fleet, string work)
    {
        var notes = Text($"examples/fleet (5 devices: lut, proxy, finetune, file, generalized), dotnet {Configuration} CLI, {context.CoreCount} cores; median of {Repeats}");
        var start = Enumerable.Range(0, Repeats).Select(_ => RunCli(cli, work, "--version")).ToList();
        yield return new SpeedFigure("gate_process_start_wall_s", Median(start.Select(r => r.Wall)), "s", "`dotnet LatencyGate.Cli.dll --version`: runtime start and command-line parsing alone");
        yield return new SpeedFigure("gate_process_start_cpu_s", Median(start.Select(r => r.Cpu)), "s", "same, CPU time (user+system) of the child process");

        var cold = new List<Timed>();
        var warm = new List<Timed>();
        for (var i = 0; i < Repeats; i++)
        {
            var copy = LatencyGate.Tests.ExampleCopy.Copy(fleet, Path.Combine(work, Text($"fleet-{i}")));
            var manifest = Path.Combine(copy, "latency-gate.yaml");
            cold.Add(RunCli(cli, copy, "check", "--manifest", manifest));
            warm.Add(RunCli(cli, copy, "check", "--manifest", manifest));
            foreach (var run in new[] { cold[^1], warm[^1] })
            {
                if (run.ExitCode != 0)
                {
                    throw new InvalidOperationException($"check exited {run.ExitCode}:\n{run.Output}");
                }
            }

            context.Log.WriteLine(Text($"   run {i + 1}: cold {cold[^1].Wall:F2} s wall / {cold[^1].Cpu:F2} s CPU, warm {warm[^1].Wall:F2} s wall / {warm[^1].Cpu:F2} s CPU"));
        }

        yield return new SpeedFigure("gate_check_cold_wall_s", Median(cold.Select(r => r.Wall)), "s", notes + Text($"; empty cache, fresh copy; runs {Runs(cold, r => r.Wall)}; target ≤ 10 s"));
        yield return new SpeedFigure("gate_check_cold_cpu_s", Median(cold.Select(r => r.Cpu)), "s", notes + Text($"; CPU time (user+system, all threads) of the child; runs {Runs(cold, r => r.Cpu)}"));
        yield return new SpeedFigure("gate_check_warm_wall_s", Median(warm.Select(r => r.Wall)), "s", notes + Text($"; second run, same cache; runs {Runs(warm, r => r.Wall)}; target ≤ 3 s"));
        yield return new SpeedFigure("gate_check_warm_cpu_s", Median(warm.Select(r => r.Cpu)), "s", notes + Text($"; CPU time of the child; runs {Runs(warm, r => r.Cpu)}"));

        // Where the time goes, in process (this process has JIT-compiled the gate by the warm run).
        var phasesCopy = LatencyGate.Tests.ExampleCopy.Copy(fleet, Path.Combine(work, "fleet-phases"));
        foreach (var (label, phases) in new[] { ("cold", Phases(phasesCopy)), ("warm", Phases(phasesCopy)) })
        {
            foreach (var (phase, seconds) in phases)
            {
                yield return new SpeedFigure($"gate_phase_{label}_{phase}_s", seconds, "s", $"in-process {label} run of GateRunner.Check on the fleet (the first also pays JIT)");
            }
        }
    }

    /// <summary>Wall time between the gate's progress steps: manifest, predictors (LUTs, files, adaptation or cache), check + reports.</summary>
    private static List<(string Phase, double Seconds)> Phases(string fleet)
    {
        var marks = new List<(string Step, TimeSpan At)>();
        var watch = Stopwatch.StartNew();
        var outcome = GateRunner.Check(
            new CheckRequest(Path.Combine(fleet, "latency-gate.yaml")),
            new SyncProgress(step =>
            {
                // One mark per phase: the per-device and per-generation reports within it are not phases.
                if (marks.Count == 0 || marks[^1].Step != step.Phase)
                {
                    marks.Add((step.Phase, watch.Elapsed));
                }
            }));
        marks.Add(("done", watch.Elapsed));
        if (outcome.ExitCode != Diagnostics.ExitCode.Success)
        {
            throw new InvalidOperationException("the fleet did not pass: " + string.Join("\n", outcome.Diagnostics));
        }

        var names = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["reading"] = "manifest",
            ["building"] = "predictors",
            ["predicting"] = "check_and_reports",
            ["searching"] = "search_and_reports",
        };
        var phases = new List<(string, double)>();
        for (var i = 0; i + 1 < marks.Count; i++)
        {
            var first = marks[i].Step.Split(' ')[0];
            phases.Add((names.GetValueOrDefault(first, first), (marks[i + 1].At - marks[i].At).TotalSeconds));
        }

        return phases;
    }


    private static Timed RunCli(string cli, string workingDirectory, params string[] args)
    {
        Directory.CreateDirectory(workingDirectory);
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(cli);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["CI"] = "true";
        start.Environment.Remove("GITHUB_ACTIONS");
        start.Environment.Remove("GITHUB_STEP_SUMMARY");
        var cpuBefore = ChildrenCpuSeconds();
        var watch = Stopwatch.StartNew();
        using var process = Process.Start(start) ?? throw new InvalidOperationException("could not start dotnet");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(5)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException("check did not finish within 5 minutes");
        }

        process.WaitForExit();
        var wall = watch.Elapsed.TotalSeconds;
        return new Timed(wall, ChildrenCpuSeconds() - cpuBefore, process.ExitCode, stdout.Result + stderr.Result);
    }

    /// <summary>
    /// CPU time of every reaped child (getrusage RUSAGE_CHILDREN): an exited process's own counters
    /// are gone on Linux, and contention on a shared machine inflates CPU time far less than wall time.
    /// NaN where the call is not available.
    /// </summary>
    private static double ChildrenCpuSeconds()
    {
        if (!OperatingSystem.IsLinux() && !OperatingSystem.IsMacOS())
        {
            return double.NaN;
        }

        return NativeMethods.getrusage(NativeMethods.RusageChildren, out var usage) == 0
            ? usage.UserSeconds + usage.UserMicroseconds / 1e6 + usage.SystemSeconds + usage.SystemMicroseconds / 1e6
            : double.NaN;
    }

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
    }

    private static string Runs(IEnumerable<Timed> runs, Func<Timed, double> select) =>
        string.Join(" ", runs.Select(r => select(r).ToString("F2", CultureInfo.InvariantCulture)));

    private static string RepositoryRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "LatencyGate.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("LatencyGate.sln not found above " + AppContext.BaseDirectory);
    }

    private static string Text(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);

    private sealed record Timed(double Wall, double Cpu, int ExitCode, string Output);

    private sealed class SyncProgress(Action<WorkProgress> report) : IProgress<WorkProgress>
    {
        public void Report(WorkProgress value) => report(value);
    }

    private static class NativeMethods
    {
        public const int RusageChildren = -1;

        [DllImport("libc", SetLastError = true)]
        [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
#pragma warning disable SYSLIB1054 // LibraryImport would need unsafe blocks in this project for one call
        public static extern int getrusage(int who, out RUsage usage);
#pragma warning restore SYSLIB1054
    }

    // struct rusage on 64-bit Linux/macOS: two timevals then fourteen longs.
    [StructLayout(LayoutKind.Sequential)]
    private struct RUsage
    {
        public long UserSeconds;
        public long UserMicroseconds;
        public long SystemSeconds;
        public long SystemMicroseconds;
        public long MaxRss;
        public long IxRss;
        public long IdRss;
        public long IsRss;
        public long MinFlt;
        public long MajFlt;
        public long NSwap;
        public long InBlock;
        public long OuBlock;
        public long MsgSnd;
        public long MsgRcv;
        public long NSignals;
        public long NVcsw;
        public long NIvcsw;
    }
}
