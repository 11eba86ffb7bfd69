using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using LatencyGate.Diagnostics;
using LatencyGate.Predictors;
using LatencyGate.Predictors.Lut;
using LatencyGate.Reporting;
using LatencyGate.Search;
using LatencyGate.Spaces;

namespace LatencyGate.Benchmarks;

/// <summary>
/// Search figures (issue 5): OFA's defaults and the thorough setting at 25 ms on the Note10 LUT
/// with OFA's accuracy predictor over 5 seeds (quality and wall time), a shared-mode search over
/// 5 devices, the 5 ms infeasibility exit, and byte-identical output with 1 and 2 threads.
/// </summary>
internal sealed class SearchSpeedBenchmark : ISpeedBenchmark
{
    private static readonly int[] Tutorial = [160, 176, 192, 208, 224];
    private static readonly ulong[] Seeds = [1, 2, 3, 4, 5];

    public string Name => "search";

    public IEnumerable<SpeedFigure> Run(BenchmarkContext context)
    {
        var note10 = LookupTablePredictor.Load(context.DataPath("ofa-lut", "note10"), OfaSpace.W12);
        var accuracy = LoadAccuracy(context);
        SearchRequest Note10(double budget, ulong seed, EvolutionOptions options, int threads = 2) =>
            new([new SearchDevice("note10", note10, budget)], accuracy, Tutorial) { Seed = seed, Options = options, MaxDegreeOfParallelism = threads };

        // Warm-up (JIT, tables) outside the timings.
        EvolutionSearch.Run(Note10(25, 99, EvolutionOptions.Ofa with { Generations = 20 }));

        foreach (var (label, options) in new[] { ("ofa", EvolutionOptions.Ofa), ("thorough", EvolutionOptions.Thorough) })
        {
            var accs = new List<double>();
            var walls = new List<double>();
            var cpus = new List<double>();
            var maxLatency = 0.0;
            foreach (var seed in Seeds)
            {
                var cpu = Process.GetCurrentProcess().TotalProcessorTime;
                var watch = Stopwatch.StartNew();
                var outcome = EvolutionSearch.Run(Note10(25, seed, options)).Outcomes[0];
                walls.Add(watch.Elapsed.TotalSeconds);
                cpus.Add((Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds);
                accs.Add(outcome.Best.Accuracy);
                maxLatency = Math.Max(maxLatency, outcome.Best.Latencies[0].LatencyMs);
                context.Log.WriteLine(Text($"   {label} seed {seed}: acc {outcome.Best.Accuracy:F5} at {outcome.Best.Latencies[0].LatencyMs:F3} ms, {outcome.Evaluations} archs scored, {walls[^1]:F2} s wall, {cpus[^1]:F2} s CPU: {outcome.Best.Arch}"));
            }

            var notes = Text($"Note10 LUT, OFA acc predictor, 25 ms, r 160-224/16, seeds 1-5, 2 threads");
            yield return new SpeedFigure($"search_{label}_25ms_acc_mean", accs.Average(), "fraction", notes + Text($"; per seed {string.Join(" ", accs.Select(a => a.ToString("F5", CultureInfo.InvariantCulture)))}"));
            yield return new SpeedFigure($"search_{label}_25ms_acc_min", accs.Min(), "fraction", notes);
            yield return new SpeedFigure($"search_{label}_25ms_latency_max_ms", maxLatency, "ms", "LUT latency of the chosen arch, worst of 5 seeds (budget 25 ms)");
            yield return new SpeedFigure($"search_{label}_wall_s_mean", walls.Average(), "s", notes);
            yield return new SpeedFigure($"search_{label}_wall_s_max", walls.Max(), "s", notes);
            yield return new SpeedFigure($"search_{label}_wall_s_min", walls.Min(), "s", notes + "; the least contended of the 5 runs");
            yield return new SpeedFigure($"search_{label}_cpu_s_mean", cpus.Average(), "s", notes + "; process CPU time (all threads), a figure that contention on a shared machine inflates less than wall time");
        }

        var devices = new[]
        {
            new SearchDevice("note10", note10, 25),
            new SearchDevice("jetson-cpu", LookupTablePredictor.Load(context.DataPath("ofa-lut", "dynamicofa-jetson"), OfaSpace.W12), 1500),
            new SearchDevice("jetson-gpu", LookupTablePredictor.Load(context.DataPath("ofa-lut", "dynamicofa-jetson_GPU"), OfaSpace.W12), 23),
            new SearchDevice("note10-interp", LookupTablePredictor.Load(context.DataPath("ofa-lut", "note10"), OfaSpace.W12, interpolate: true), 24),
            new SearchDevice("jetson-gpu-interp", LookupTablePredictor.Load(context.DataPath("ofa-lut", "dynamicofa-jetson_GPU"), OfaSpace.W12, interpolate: true), 22),
        };
        var shared = new SearchRequest(devices, accuracy, Tutorial) { Mode = SearchMode.Shared, Seed = 1, MaxDegreeOfParallelism = 2 };
        var sharedCpu = Process.GetCurrentProcess().TotalProcessorTime;
        var sharedWatch = Stopwatch.StartNew();
        var sharedOutcome = EvolutionSearch.Run(shared).Outcomes[0];
        var sharedWall = sharedWatch.Elapsed.TotalSeconds;
        var sharedCpuSeconds = (Process.GetCurrentProcess().TotalProcessorTime - sharedCpu).TotalSeconds;
        context.Log.WriteLine(Text($"   shared: acc {sharedOutcome.Best.Accuracy:F5}; ") + string.Join(", ", sharedOutcome.Best.Latencies.Select(l => Text($"{l.Device} {l.LatencyMs:F2}/{l.BudgetMs} ms"))));
        yield return new SpeedFigure("search_shared_5dev_wall_s", sharedWall, "s", Text($"OFA defaults, one arch for 5 LUT devices (note10, jetson CPU/GPU, and note10 / jetson GPU interpolating), acc {sharedOutcome.Best.Accuracy:F5}, {sharedCpuSeconds:F2} s CPU"));

        var perDeviceWatch = Stopwatch.StartNew();
        EvolutionSearch.Run(shared with { Mode = SearchMode.PerDevice });
        yield return new SpeedFigure("search_per_device_5dev_wall_s", perDeviceWatch.Elapsed.TotalSeconds, "s", "OFA defaults, one search per device, 5 devices in parallel on 2 threads");

        var infeasibleWatch = Stopwatch.StartNew();
        var message = string.Empty;
        var exitCode = 0;
        try
        {
            EvolutionSearch.Run(Note10(5, 1, EvolutionOptions.Ofa));
        }
        catch (LatencyGateException ex)
        {
            message = ex.Diagnostics[0].ToString();
            exitCode = (int)ex.ExitCode;
        }

        yield return new SpeedFigure("search_infeasible_5ms_wall_s", infeasibleWatch.Elapsed.TotalSeconds, "s", Text($"exit code {exitCode}: {message}"));

        var one = SearchResultWriter.ToJson(EvolutionSearch.Run(Note10(25, 7, EvolutionOptions.Ofa, threads: 1)));
        var two = SearchResultWriter.ToJson(EvolutionSearch.Run(Note10(25, 7, EvolutionOptions.Ofa, threads: 2)));
        yield return new SpeedFigure("search_same_bytes_1_vs_2_threads", one.AsSpan().SequenceEqual(two) ? 1 : 0, "bool", "seed 7, serialized result JSON compared byte for byte");
    }

    private static OfaAccuracyPredictor LoadAccuracy(BenchmarkContext context)
    {
        using var manifest = JsonDocument.Parse(File.ReadAllText(context.DataPath("ofa-acc-predictor", "mbv3_w1.2_acc_predictor.json")));
        var layout = manifest.RootElement.GetProperty("tensors").EnumerateArray()
            .Select(t => (t.GetProperty("name").GetString()!, t.GetProperty("shape").EnumerateArray().Select(v => v.GetInt32()).ToArray())).ToArray();
        var tensors = RawWeightFile.Read(context.DataPath("ofa-acc-predictor", "mbv3_w1.2_acc_predictor.f32.bin"), layout);
        return OfaAccuracyPredictor.FromStateDict(tensors, "mbv3_w1.2_acc_predictor.f32.bin");
    }

    private static string Text(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
