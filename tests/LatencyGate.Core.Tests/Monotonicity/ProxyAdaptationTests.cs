using LatencyGate.Monotonicity;
using LatencyGate.Numerics;
using LatencyGate.Randomness;
using LatencyGate.Spaces.NasBench201;
using LatencyGate.Statistics;
using Shouldly;
using Xunit;

namespace LatencyGate.Tests.Monotonicity;

public sealed class ProxyAdaptationTests
{
    /// <summary>A fast slice of the oneproxy benchmark: VPU proxy, 20 shots, 2 seeds, 3 targets.</summary>
    [ReferenceDataFact]
    public void Structure_plus_proxy_beats_adaproxy_on_oneproxy_targets()
    {
        var table = MeasurementTable.Read(ReferenceData.PathOf("oneproxy", "nb201_1999_latency_ms.csv"));
        var cells = table.Text("arch_str").Select(s => Nb201Cell.Parse(s)).ToArray();
        var pool = AdaptationPool.ForProxy([.. cells.Select(Nb201Features.OneHot)], [.. cells.Select(Nb201Features.Structural)], table.Numbers("true_vpu_ms"), Nb201Features.StructuralTier);
        foreach (var target in new[] { "true_630_ms", "eagle_gpu_855_ms", "rice_raspi4_ms" })
        {
            var y = table.Numbers(target);
            double ours = 0, ada = 0, raw = 0;
            for (var seed = 0UL; seed < 2; seed++)
            {
                var order = Enumerable.Range(0, y.Length).ToArray();
                new SeededRandom(seed).Shuffle(order.AsSpan());
                var shots = order[..20];
                var test = order[20..];
                double Srcc(double[] p) => RankCorrelation.Spearman([.. test.Select(i => p[i])], [.. test.Select(i => y[i])]);
                ours += Srcc(ProxyAdapters.Best.Adapt(pool, shots, [.. shots.Select(i => y[i])])) / 2;
                ada += Srcc(ProxyAdapters.AdaProxy.Adapt(pool, shots, [.. shots.Select(i => y[i])])) / 2;
                raw += Srcc(ProxyAdapters.RawProxy.Adapt(pool, shots, [.. shots.Select(i => y[i])])) / 2;
            }

            ours.ShouldBeGreaterThan(ada, target);
            ada.ShouldBeGreaterThan(raw, target);
            ours.ShouldBeGreaterThan(0.88, target);
        }
    }

    [Fact]
    public void Ridge_recovers_a_linear_model_and_its_loo_prefers_small_lambda_without_noise()
    {
        var random = new SeededRandom(3);
        var x = Enumerable.Range(0, 30).Select(_ => Enumerable.Range(0, 4).Select(_ => random.NextGaussian()).ToArray()).ToArray();
        var y = x.Select(r => 2 + r[0] - (3 * r[2])).ToArray();
        var model = LeaveOneOutRidge.Fit(x, y);
        model.Predict([1, 0, 1, 0]).ShouldBe(0, 1e-3);
        model.LooMse.ShouldBeLessThan(1e-4);
    }
}
