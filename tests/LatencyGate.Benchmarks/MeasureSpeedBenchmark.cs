using System.Diagnostics;
using System.Globalization;
using LatencyGate.Measuring;
using LatencyGate.Networks;
using LatencyGate.Runtime.OnnxRuntime;
using LatencyGate.Spaces;

namespace LatencyGate.Benchmarks;

/// <summary>
/// Export and measuring costs (issue 14): <c>export</c> of one arch (network built, ONNX bytes
/// written to a file, as the command does), and measuring one arch at 30 runs all in, broken down
/// into building the network, exporting it in memory, creating the ONNX Runtime session, 10
/// warm-up and 30 timed runs; and the same one pass through <see cref="MeasurementRun"/> as the
/// <c>measure</c> command runs it, raw and anchored (anchored also split into the reference's
/// one-time setup per command and the cost per arch). The largest arch of the w1.2 space at 224 and a mid-size one; medians
/// of 5 repetitions, wall and process CPU time (the machine is shared: CPU time is the steadier figure).
/// </summary>
internal sealed class MeasureSpeedBenchmark : ISpeedBenchmark
{
    private const int Repetitions = 5;

    public string Name => "measure";

    public IEnumerable<SpeedFigure> Run(BenchmarkContext context)
    {
        var space = OfaSpace.W12;
        var runtime = new OnnxRuntimeMeasurementRuntime();
        var cases = new[]
        {
            ("largest_r224", Arch.Create(Enumerable.Repeat(7, 20).ToArray(), Enumerable.Repeat(6, 20).ToArray(), [4, 4, 4, 4, 4], 224, space)),
            ("mid_r192", Arch.Create(Enumerable.Repeat(5, 20).ToArray(), Enumerable.Repeat(4, 20).ToArray(), [3, 3, 3, 3, 3], 192, space)),
        };
        var folder = Path.Combine(context.OutputDirectory, "measure-speed");
        Directory.CreateDirectory(folder);
        using (var warm = runtime.Prepare(OfaNetwork.Build(cases[1].Item2, space), 1, 1, 0))
        {
            warm.RunOnce();
        }

        foreach (var (label, arch) in cases)
        {
            var parts = new Dictionary<string, List<(double Wall, double Cpu)>>();
            void Add(string key, double wall, double cpu)
            {
                if (!parts.TryGetValue(key, out var list))
                {
                    parts[key] = list = [];
                }

                list.Add((wall, cpu));
            }

            for (var rep = 0; rep < Repetitions; rep++)
            {
                var (w, c) = Timed(() =>
                {
                    var n = OfaNetwork.Build(arch, space);
                    File.WriteAllBytes(Path.Combine(folder, "one.onnx"), OnnxExport.ToBytes(n, 0));
                });
                Add("export", w, c);

                var total = Timed(() =>
                {
                    Network network = null!;
                    var (bw, bc) = Timed(() => network = OfaNetwork.Build(arch, space));
                    Add("build_network", bw, bc);
                    byte[] bytes = null!;
                    var (ew, ec) = Timed(() => bytes = OnnxExport.ToBytes(network, 0));
                    Add("export_in_memory", ew, ec);
                    OnnxPreparedNetwork prepared = null!;
                    var (sw, sc) = Timed(() => prepared = new OnnxPreparedNetwork(bytes, network, 1, 1, 0));
                    Add("session_create", sw, sc);
                    using (prepared)
                    {
                        var (ww, wc) = Timed(() =>
                        {
                            for (var i = 0; i < 10; i++)
                            {
                                prepared.RunOnce();
                            }
                        });
                        Add("warmup_10_runs", ww, wc);
                        var (rw, rc) = Timed(() =>
                        {
                            for (var i = 0; i < 30; i++)
                            {
                                prepared.RunOnce();
                            }
                        });
                        Add("timed_30_runs", rw, rc);
                    }
                });
                Add("measure_one_arch_all_in", total.Wall, total.Cpu);

                // The path `measure` runs (MeasurementRun, one pass of 10 warm-up + 30 timed runs, no
                // retry), raw and anchored (the default: the reference network is prepared and timed
                // beside every run); for one arch the reference's preparation is included.
                foreach (var anchored in new[] { false, true })
                {
                    var protocol = new MeasurementProtocol(Warmup: 10, Runs: 30, Passes: 1, MaxRetries: 0, Anchored: anchored);
                    var (mw, mc) = Timed(() => new MeasurementRun(runtime, space, protocol).Measure([arch]));
                    Add(anchored ? "measure_command_path_anchored" : "measure_command_path_raw", mw, mc);
                    if (anchored)
                    {
                        // What a command pays once, not per arch: preparing the reference and warming it up.
                        var (sw, sc) = Timed(() => MeasurementRun.PrepareReference(runtime, space, protocol).Dispose());
                        Add("anchored_reference_setup_once_per_command", sw, sc);
                        Add("measure_command_path_anchored_per_arch", mw - sw, mc - sc);
                    }
                }
            }

            var note = Text($"{space.Name} {label} ({OfaMobileNetV3.Macs(arch, space) / 1e6:F0}M MACs), ONNX Runtime {runtime.Version}, 1 thread, batch 1, median of {Repetitions}, {context.CoreCount} cores, load average {BenchmarkContext.LoadAverage()}");
            foreach (var (key, values) in parts)
            {
                yield return new SpeedFigure($"{key}_{label}_cpu_s", TimingSummary.Median(values.Select(v => v.Cpu)), "s", note + "; process CPU time");
                yield return new SpeedFigure($"{key}_{label}_wall_s", TimingSummary.Median(values.Select(v => v.Wall)), "s", note + "; wall time");
            }
        }

        Directory.Delete(folder, recursive: true);
    }

    private static (double Wall, double Cpu) Timed(Action action)
    {
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var watch = Stopwatch.StartNew();
        action();
        return (watch.Elapsed.TotalSeconds, (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds);
    }

    private static string Text(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
