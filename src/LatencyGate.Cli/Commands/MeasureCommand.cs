using System.CommandLine;
using System.Globalization;
using LatencyGate.Diagnostics;
using LatencyGate.Measuring;
using LatencyGate.Spaces;

namespace LatencyGate.Cli.Commands;

/// <summary>
/// <c>measure --space S --archs FILE --runtime onnxruntime|torch|torch-cuda --out CSV [--threads N] [--batch-size B]
/// [--warmup W] [--runs R] [--passes P] [--max-retries K] [--tolerance T] [--clock auto|cpu|wall] [--seed X] [--anchor reference|none]</c>:
/// times archs on this machine into a measurements CSV that <c>fit</c> reads; resumes into an existing one.
/// </summary>
internal static class MeasureCommand
{
    public static Command Create(HostContext host)
    {
        var space = new Option<string>("--space") { Description = "Search space: ofa-mbv3-w1.0 or ofa-mbv3-w1.2.", Required = true }.OneOf(CommandParsing.SpaceNames);
        var archs = new Option<string>("--archs") { Description = "Archs to time: sample's JSON lines, a measurements CSV or arch keys.", Required = true };
        var runtime = new Option<string>("--runtime") { Description = "Runtime to time with: onnxruntime (default, shipped with the tool), torch (libtorch on the CPU) or torch-cuda (libtorch on the first CUDA device); libtorch is found at run time (see doctor).", DefaultValueFactory = _ => "onnxruntime" }.OneOf(MeasuringRuntimes.Create().Names);
        var output = new Option<string>("--out") { Description = "Measurements CSV to write (appended; a rerun resumes). Raw passes go to NAME.passes.csv beside it.", Required = true };
        var threads = new Option<int>("--threads") { Description = "Intra-op threads of the runtime.", DefaultValueFactory = _ => 1 };
        var batch = new Option<int>("--batch-size") { Description = "Images per run (the latency is that of the whole batch).", DefaultValueFactory = _ => 1 };
        var warmup = new Option<int>("--warmup") { Description = "Untimed runs before each pass.", DefaultValueFactory = _ => 10 };
        var runs = new Option<int>("--runs") { Description = "Timed runs per arch and pass.", DefaultValueFactory = _ => 30 };
        var passes = new Option<int>("--passes") { Description = "Passes over all archs (alternating order).", DefaultValueFactory = _ => 2 };
        var retries = new Option<int>("--max-retries") { Description = "Extra passes for an arch whose interval is too wide, before it is flagged unstable.", DefaultValueFactory = _ => 2 };
        var tolerance = new Option<double>("--tolerance") { Description = "Widest interval half-width, as a fraction of the median, before an arch is retried.", DefaultValueFactory = _ => 0.10 };
        var clock = new Option<string>("--clock") { Description = "auto (cpu with 1 thread, wall otherwise), cpu or wall: which clock latency_ms is read from.", DefaultValueFactory = _ => "auto" }.OneOf(["auto", "cpu", "wall"]);
        var seed = new Option<ulong>("--seed") { Description = "Seed of the weights, inputs and bootstrap.", DefaultValueFactory = _ => 0UL };
        var anchor = new Option<string>("--anchor") { Description = "reference (default): time a fixed reference network (the smallest arch at r160) before every timed run and divide by it, cancelling the machine's speed drift; none: raw runs.", DefaultValueFactory = _ => "reference" }.OneOf(["reference", "none"]);
        var command = new Command("measure", "Time archs on this machine and write the measurements CSV that fit reads.")
        {
            space, archs, runtime, output, threads, batch, warmup, runs, passes, retries, tolerance, clock, seed, anchor,
        };
        command.SetAction((pr, cancellation) =>
        {
            var ofaSpace = OfaSpace.Get(pr.GetValue(space)!);
            var clockName = pr.GetValue(clock)!;
            var threadCount = pr.GetValue(threads);
            var timingClock = clockName switch
            {
                "auto" => threadCount == 1 ? TimingClock.Cpu : TimingClock.Wall,
                "cpu" => TimingClock.Cpu,
                "wall" => TimingClock.Wall,
                _ => throw new LatencyGateException(MeasuringErrors.BadOption, $"--clock must be auto, cpu or wall; got '{clockName}'"),
            };
            var anchorName = pr.GetValue(anchor)!;
            var anchored = anchorName switch
            {
                "none" => false,
                "reference" => true,
                _ => throw new LatencyGateException(MeasuringErrors.BadOption, $"--anchor must be none or reference; got '{anchorName}'"),
            };
            var protocol = new MeasurementProtocol(
                pr.GetValue(warmup), pr.GetValue(runs), pr.GetValue(passes), pr.GetValue(retries), pr.GetValue(tolerance),
                timingClock, threadCount, pr.GetValue(batch), pr.GetValue(seed), anchored);
            if (protocol.Problems() is { Count: > 0 } problems)
            {
                throw new LatencyGateException([.. problems.Select(p => Diagnostic.Error(MeasuringErrors.BadOption, p))]);
            }

            // Everything a user can get wrong is checked before the output file is touched.
            var list = ArchListReader.Read(pr.GetValue(archs)!, ofaSpace);
            var rt = MeasuringRuntimes.Create().Resolve(pr.GetValue(runtime)!);
            var identity = MachineIdentity.ThisMachine(rt, protocol.Threads, protocol.BatchSize);
            var files = new MeasurementFiles(pr.GetValue(output)!, ofaSpace, protocol, identity);
            using var held = files.Lock();
            var distinct = list.Distinct().Count();
            host.Stdout.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"measuring {distinct} archs × {protocol.Passes} passes ({protocol.Warmup} warm-up + {protocol.Runs} timed runs each, {protocol.ClockName} time{(protocol.Anchored ? ", each run divided by a reference run beside it" : string.Empty)}) on {identity}"));
            var progress = new ProgressLine(host);
            var run = new MeasurementRun(rt, ofaSpace, protocol);
            var rows = run.Measure(list, files, progress.Report, cancellation);
            progress.Done();
            var unstable = rows.Count(r => r.Unstable);
            host.Stdout.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"{rows.Count} archs in {files.Path} ({run.AlreadyMeasured} already there, {progress.Reused} passes reused from an earlier run, {unstable} flagged unstable); raw passes in {files.JournalPath}"));
            if (rows.Count > 0)
            {
                var medians = rows.Select(r => r.LatencyMs).Order().ToArray();
                host.Stdout.WriteLine(string.Create(
                    CultureInfo.InvariantCulture,
                    $"latency_ms: min {medians[0]:F3}, median {TimingSummary.Quantile(medians, 0.5):F3}, max {medians[^1]:F3}; median interval half-width {TimingSummary.Median(rows.Select(r => 50 * (r.UpperMs - r.LowerMs) / r.LatencyMs)):F1} %"));
            }

            return Task.FromResult(0);
        });
        return command;
    }

    /// <summary>One line per pass; on a terminal it rewrites itself instead.</summary>
    private sealed class ProgressLine(HostContext host)
    {
        public int Reused { get; private set; }

        public void Report(MeasureProgress p)
        {
            if (p.Reused)
            {
                Reused++;
            }

            var line = string.Create(
                CultureInfo.InvariantCulture,
                $"[{p.Done}/{p.Total}] pass {p.Pass + 1} {p.ArchKey} {p.MedianMs:F3} ms{(p.Reused ? " (from an earlier run)" : string.Empty)}");
            if (host.Interactive)
            {
                host.Stdout.Write("\r" + line.PadRight(Console.WindowWidth > 0 ? Math.Min(Console.WindowWidth - 1, 160) : 100));
            }
            else
            {
                host.Stdout.WriteLine(line);
            }
        }

        public void Done()
        {
            if (host.Interactive)
            {
                host.Stdout.WriteLine();
            }
        }
    }
}
