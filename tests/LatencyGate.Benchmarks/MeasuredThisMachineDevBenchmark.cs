using System.Globalization;
using LatencyGate.Adaptation;
using LatencyGate.Benchmarks.Adaptation;
using LatencyGate.Measurements;
using LatencyGate.Predictors;
using LatencyGate.Predictors.Lut;
using LatencyGate.Randomness;
using LatencyGate.Spaces;

namespace LatencyGate.Benchmarks;

/// <summary>
/// Why adaptation loses to MACs on this machine (issue 14), on the development split only: the 130
/// pool archs of <see cref="MeasuredThisMachineBenchmark"/> (never its 200 reported test archs), K
/// shots from the first 65, evaluated on the other 65, from the measurements that benchmark wrote
/// (nothing is measured here: run it first with the same --out). Compares MACs, the raw Note10
/// table, <c>auto</c> from Note10, <c>auto</c> from a MACs-proportional base, and <c>auto</c> given
/// both (it keeps the base whose ranking of the shots is best), medians over 5 shot draws.
/// </summary>
internal sealed class MeasuredThisMachineDevBenchmark : IAccuracyBenchmark
{
    private static readonly int[] ShotCounts = [10, 20, 50];
    private static readonly ulong[] Seeds = [11, 12, 13, 14, 15];

    public string Name => "measured-this-machine-dev";

    public IEnumerable<AccuracyRow> Run(BenchmarkContext context)
    {
        var space = OfaSpace.W12;
        var csv = Path.Combine(context.OutputDirectory, "measured-this-machine.csv");
        if (!File.Exists(csv))
        {
            throw new InvalidOperationException($"{csv} is missing: run measured-this-machine with the same --out first");
        }

        var byArch = MeasurementsCsv.Read(csv, space).Items.ToDictionary(m => m.Arch, m => m.LatencyMs);
        var pool = MeasuredThisMachineBenchmark.Sample(space).Take(MeasuredThisMachineBenchmark.PoolCount).ToArray();
        var shotPool = pool[..(pool.Length / 2)];
        var evalArchs = pool[(pool.Length / 2)..];
        var measured = evalArchs.Select(a => byArch[a]).ToArray();
        var device = "this machine (dev split: 65 shot-pool / 65 evaluation archs of the 130-arch pool)";

        var macsBase = new MacsBasePredictor(space);
        var note10 = LookupTablePredictor.Load(context.DataPath("ofa-lut", "note10"), space);
        yield return Evaluation.Of(Predict(macsBase, evalArchs), measured, 0).ToRow(Name, "MACs (rank only)", device, 0, evalArchs.Length);
        yield return Evaluation.Of(Predict(note10, evalArchs), measured, 0).ToRow(Name, "raw Note10 table", device, 0, evalArchs.Length);
        var methods = new (string Name, ILatencyPredictor[] Bases, IAdaptationStrategy? Forced)[]
        {
            ("auto from Note10 table", [note10], null),
            ("auto from builtin:macs (MACs base)", [macsBase], null),
            ("auto from Note10 + builtin:macs", [note10, macsBase], null),
            ("adaproxy from Note10 table", [note10], new AdaProxyStrategy()),
            ("adaproxy from builtin:macs", [macsBase], new AdaProxyStrategy()),
        };
        foreach (var k in ShotCounts)
        {
            foreach (var (method, bases, forced) in methods)
            {
                var runs = new List<Evaluation>();
                var chosen = new List<string>();
                foreach (var seed in Seeds)
                {
                    var order = Enumerable.Range(0, shotPool.Length).ToArray();
                    new SeededRandom(seed).Shuffle(order.AsSpan());
                    var shots = order.Take(k).Select(i => new LatencyShot(shotPool[i], byArch[shotPool[i]])).ToArray();
                    if (forced is not null)
                    {
                        chosen.Add(forced.Name);
                        runs.Add(Evaluation.Of(Predict(forced.Adapt(bases[0], shots, seed), evalArchs), measured, 0));
                        continue;
                    }

                    var choice = new AutoStrategy().Choose(bases, shots, seed);
                    chosen.Add(choice.Strategy + "@" + choice.BaseIndex);
                    runs.Add(Evaluation.Of(Predict(choice.Predictor, evalArchs), measured, 0));
                }

                yield return Evaluation.Median(runs).ToRow(Name, method, device, k, evalArchs.Length, new Dictionary<string, object>
                {
                    ["chosen"] = string.Join(" ", chosen),
                    ["spearman_min"] = Math.Round(runs.Min(r => r.Spearman), 4),
                    ["spearman_max"] = Math.Round(runs.Max(r => r.Spearman), 4),
                });
            }
        }
    }

    private static double[] Predict(ILatencyPredictor predictor, Arch[] archs)
    {
        var predicted = new double[archs.Length];
        predictor.Predict(archs, predicted);
        return predicted;
    }
}
