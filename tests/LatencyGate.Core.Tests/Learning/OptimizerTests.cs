using LatencyGate.Learning;
using LatencyGate.Numerics;
using Shouldly;
using Xunit;

namespace LatencyGate.Tests.Learning;

public sealed class OptimizerTests
{
    [Fact]
    public void Sgd_with_momentum_and_decay_follows_torch()
    {
        var w = new[] { 1.0f };
        var g = new[] { 0.5f };
        var opt = new Optimizer(new OptimizerSettings(OptimizerKind.Sgd, Momentum: 0.9, WeightDecay: 0.1), [new Parameter("w", w, g, true)]);
        opt.Step(0.1);

        // g' = 0.5 + 0.1·1 = 0.6; v = 0.6; w = 1 − 0.06
        w[0].ShouldBe(0.94f, 1e-6f);
        g[0] = 0.5f;
        opt.Step(0.1);

        // g' = 0.5 + 0.094 = 0.594; v = 0.9·0.6 + 0.594 = 1.134; w = 0.94 − 0.1134
        w[0].ShouldBe(0.8266f, 1e-5f);
    }

    [Fact]
    public void Adam_first_step_moves_by_the_learning_rate()
    {
        var w = new[] { 1.0f, -2.0f };
        var g = new[] { 3.0f, -0.001f };
        new Optimizer(new OptimizerSettings(OptimizerKind.Adam), [new Parameter("w", w, g, true)]).Step(0.01);
        w[0].ShouldBe(0.99f, 1e-5f);
        w[1].ShouldBe(-1.99f, 1e-4f);
    }

    [Fact]
    public void Adam_with_an_anchor_matches_a_scalar_reference_bit_for_bit()
    {
        // 37 elements: whole vector lanes and a scalar tail; coupled L2-SP decay toward an anchor.
        const int n = 37;
        const double decay = 0.3;
        var random = new LatencyGate.Randomness.SeededRandom(5);
        var w = Enumerable.Range(0, n).Select(_ => (float)(random.NextDouble() - 0.5)).ToArray();
        var anchor = Enumerable.Range(0, n).Select(_ => (float)(random.NextDouble() - 0.5)).ToArray();
        var expected = (float[])w.Clone();
        var m = new float[n];
        var v = new float[n];
        var g = new float[n];
        var optimizer = new Optimizer(new OptimizerSettings(OptimizerKind.Adam, WeightDecay: decay), [new Parameter("w", w, g, true, anchor)]);
        for (var step = 1; step <= 5; step++)
        {
            var gradient = Enumerable.Range(0, n).Select(_ => (float)(random.NextDouble() - 0.5)).ToArray();
            gradient.CopyTo(g, 0);
            optimizer.Step(0.01);

            var stepSize = (float)(0.01 / (1.0 - Math.Pow(0.9, step)));
            var sqrtBias2 = (float)Math.Sqrt(1.0 - Math.Pow(0.999, step));
            for (var j = 0; j < n; j++)
            {
                var gj = (expected[j] * (float)decay) + gradient[j];
                gj = (anchor[j] * (float)-decay) + gj;
                m[j] = (0.9f * m[j]) + ((1f - 0.9f) * gj);
                v[j] = (0.999f * v[j]) + ((1f - 0.999f) * gj * gj);
                expected[j] -= stepSize * m[j] / ((MathF.Sqrt(v[j]) / sqrtBias2) + 1e-8f);
            }
        }

        for (var j = 0; j < n; j++)
        {
            BitConverter.SingleToInt32Bits(w[j]).ShouldBe(BitConverter.SingleToInt32Bits(expected[j]), $"element {j}");
        }
    }

    [Fact]
    public void AdamW_decays_weights_apart_from_the_gradient()
    {
        var w = new[] { 2.0f };
        var g = new[] { 0.0f };
        new Optimizer(new OptimizerSettings(OptimizerKind.AdamW, WeightDecay: 0.5), [new Parameter("w", w, g, true)]).Step(0.1);
        w[0].ShouldBe(2.0f * 0.95f, 1e-6f);
    }

    [Fact]
    public void Cosine_schedule_warms_up_then_decays_to_the_floor()
    {
        var s = new LearningRateSchedule(ScheduleKind.Cosine, 1.0, WarmupEpochs: 2, MinimumFraction: 0.1);
        s.RateAt(0, 0, 10, 12).ShouldBe(0.05, 1e-12);
        s.RateAt(2, 0, 10, 12).ShouldBe(1.0, 1e-12);
        s.RateAt(7, 0, 10, 12).ShouldBe(0.55, 1e-12);
        s.RateAt(12, 0, 10, 12).ShouldBe(0.1, 1e-12);
        new LearningRateSchedule(ScheduleKind.Step, 1.0, StepEpochs: 3, StepGamma: 0.5).RateAt(7, 0, 1, 10).ShouldBe(0.25);
    }

    [Fact]
    public void Ridge_recovers_exact_coefficients()
    {
        var x = new SparseRows(3);
        var y = new List<double>();
        for (var i = 0; i < 50; i++)
        {
            var a = i % 7;
            var b = (i * 3) % 5;
            x.AddRow([(0, a), (1, b), (2, (a * b) % 3)]);
            y.Add(2 + (1.5 * a) - (0.5 * b) + (0.25 * ((a * b) % 3)));
        }

        var (w, intercept) = SparseRidge.Fit(x, y.ToArray(), 1e-9);
        w[0].ShouldBe(1.5, 1e-6);
        w[1].ShouldBe(-0.5, 1e-6);
        w[2].ShouldBe(0.25, 1e-6);
        intercept.ShouldBe(2, 1e-6);
    }
}
