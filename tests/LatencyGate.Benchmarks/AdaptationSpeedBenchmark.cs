using System.Diagnostics;
using LatencyGate.Adaptation;
using LatencyGate.Benchmarks.Adaptation;
using LatencyGate.Learning;
using LatencyGate.Randomness;
using LatencyGate.Spaces;

namespace LatencyGate.Benchmarks;

/// <summary>
/// Cost of adapting a network: one Adam step over the paper-size MLP's parameters, one fine-tuning run
/// (the fixed step budget), and a whole <c>full</c> adaptation of the seed paper's Note10 MLP to RTX 2080 Ti
/// shots (λ search included) at 10 and 700 shots.
/// </summary>
internal sealed class AdaptationSpeedBenchmark : ISpeedBenchmark
{
    public string Name => "adaptation";

    public IEnumerable<SpeedFigure> Run(BenchmarkContext context)
    {
        var network = Mlp.Create([128, 400, 400, 400, 1], Activation.Relu, new SeededRandom(3));
        var parameters = network.Layers
            .SelectMany(l => new[] { new Parameter("w", l.Weight.Data, new float[l.Weight.Data.Length], Decay: true, Anchor: (float[])l.Weight.Data.Clone()), new Parameter("b", l.Bias, new float[l.Bias.Length], Decay: true, Anchor: (float[])l.Bias.Clone()) })
            .ToArray();
        var count = parameters.Sum(p => p.Value.Length);
        var optimizer = new Optimizer(new OptimizerSettings(OptimizerKind.Adam, WeightDecay: 0.02), parameters);
        var steps = 200;
        var watch = Stopwatch.StartNew();
        for (var i = 0; i < steps; i++)
        {
            optimizer.Step(1e-3);
        }

        yield return new SpeedFigure("adam_step_paper_mlp_ms", watch.Elapsed.TotalMilliseconds / steps, "ms", $"Adam with an L2-SP anchor over {count:N0} parameters (128-400-400-400-1), one step");

        var table = ReferenceTable.Load(context.DataPath("ofanas-perfest", "flat", "ofa_mbv3_paired_3devices.csv"), OfaSpace.W10);
        var paper = PaperMlpTrunk.Network(context.DataPath("ofanas-perfest", "predictor_weights", "note10_ofa.f32"), OfaSpace.W10, "Note10");
        foreach (var k in new[] { 10, 700 })
        {
            var shots = table.RandomShots("lat_rtx2080ti_gpu_bs64_ms", 7000, k, new SeededRandom(11));
            var w = Stopwatch.StartNew();
            new FullStrategy().Adapt(paper, shots, 1);
            var seconds = w.Elapsed.TotalSeconds;
            yield return new SpeedFigure($"full_paper_mlp_{k}shots_s", seconds, "s", $"full on the seed paper's Note10 MLP, {k} RTX 2080 Ti shots, λ search included, {context.CoreCount} cores");
        }
    }
}
