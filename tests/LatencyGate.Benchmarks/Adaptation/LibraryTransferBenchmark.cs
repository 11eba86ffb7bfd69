using System.Diagnostics;
using LatencyGate.Adaptation;
using LatencyGate.Adaptation.Features;
using LatencyGate.Predictors;
using LatencyGate.Spaces;

namespace LatencyGate.Benchmarks.Adaptation;

/// <summary>
/// The transfer task with a library of GPU sources as bases: additive models fitted on HELP's four GPUs
/// at batch 64 (help/ofa, 5,000 archs each, another lab and the w1.2 net), adapted to the seed paper's
/// RTX 2080 Ti and P40 (w1.0, batch 64) with K shots; the base is the one ranking the shots best.
/// The development variant (<c>adaptation-library-dev</c>) draws shots from rows 0–3,499 and tests on rows
/// 3,500–6,999, never touching the last 1,500 rows: library designs are compared there, and the real
/// benchmark is run once on the design chosen.
/// </summary>
internal sealed class LibraryTransferBenchmark(bool development = false) : IAccuracyBenchmark
{
    private const int DevelopmentSplit = 3500;

    public string Name => development ? "adaptation-library-dev" : "adaptation-library";

    public IEnumerable<AccuracyRow> Run(BenchmarkContext context)
    {
        var help = ReferenceTable.Load(context.DataPath("help", "ofa", "ofa_mbv3_gpu_latency.csv"), OfaSpace.W12);
        var watch = Stopwatch.StartNew();
        var bases = new List<(string Label, ILatencyPredictor Base)>();
        foreach (var (key, spec) in GpuSpecSheets.Help)
        {
            var shots = help.Shots($"lat_ms_{key}_64", Enumerable.Range(0, help.Archs.Length));
            bases.Add((key + "_64", LinearLatencyModel.Fit(new StructuredFeatures(OfaSpace.W12), OfaSpace.W12, shots, $"HELP {spec.Name} batch 64")));
        }

        var baseSeconds = watch.Elapsed.TotalSeconds;
        var table = ReferenceTable.Load(context.DataPath("ofanas-perfest", "flat", "ofa_mbv3_paired_3devices.csv"), OfaSpace.W10);
        var testRows = development
            ? Enumerable.Range(DevelopmentSplit, 7000 - DevelopmentSplit).ToArray()
            : Enumerable.Range(table.Archs.Length - 1500, 1500).ToArray();
        var testArchs = testRows.Select(i => table.Archs[i]).ToArray();
        foreach (var (device, column) in new[] { ("RTX 2080 Ti", "lat_rtx2080ti_gpu_bs64_ms"), ("Tesla P40", "lat_teslap40_gpu_bs64_ms") })
        {
            var measured = testRows.Select(i => table.Column(column)[i]).ToArray();
            foreach (var row in TransferBenchmark.RunShots($"transfer GPU-library->{device}{(development ? " (dev split)" : string.Empty)}", device, table, column, bases, testArchs, measured, baseSeconds, library: true, shotPool: development ? DevelopmentSplit : 7000))
            {
                yield return row;
            }
        }
    }
}
