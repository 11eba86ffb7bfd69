using LatencyGate.Learning;
using LatencyGate.Randomness;
using Shouldly;
using Xunit;

namespace LatencyGate.Tests.Learning;

public sealed class BackpropTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Gradients_match_finite_differences(int lossIndex)
    {
        var kind = (LossKind)lossIndex;
        var random = new SeededRandom(3);
        var model = Mlp.Create([5, 7, 6, 1], Activation.LeakyRelu, random);
        const int rows = 9;
        var x = GemmTests.RandomArray(random, rows * 5);
        var y = Enumerable.Range(0, rows).Select(i => (float)(1.5 + (0.3 * i))).ToArray();
        var loss = new Loss(kind, huberDelta: 0.5, targetScale: 2.0, targetShift: 1.0);

        var activations = model.Layers.Select(l => new float[rows * l.Outputs]).ToArray();
        var delta = new float[rows * model.MaxWidth];
        var spare = new float[rows * model.MaxWidth];
        var wg = model.Layers.Select(l => new float[l.Weight.Data.Length]).ToArray();
        var bg = model.Layers.Select(l => new float[l.Bias.Length]).ToArray();
        MlpTrainer.Forward(model.Layers, x, rows, activations);
        loss.Compute(activations[^1], y, delta.AsSpan(0, rows));
        MlpTrainer.Backward(model.Layers, 0, x, rows, activations, delta, spare, wg, bg);

        double Evaluate()
        {
            var acts = model.Layers.Select(l => new float[rows * l.Outputs]).ToArray();
            MlpTrainer.Forward(model.Layers, x, rows, acts);
            return loss.Compute(acts[^1], y, new float[rows]);
        }

        for (var l = 0; l < model.Layers.Count; l++)
        {
            foreach (var (values, grads) in new[] { (model.Layers[l].Weight.Data, wg[l]), (model.Layers[l].Bias, bg[l]) })
            {
                for (var i = 0; i < values.Length; i += 3)
                {
                    var saved = values[i];
                    const float h = 1e-3f;
                    values[i] = saved + h;
                    var up = Evaluate();
                    values[i] = saved - h;
                    var down = Evaluate();
                    values[i] = saved;
                    var numeric = (up - down) / (2 * h);
                    ((double)grads[i]).ShouldBe(numeric, 2e-3 + (2e-2 * Math.Abs(numeric)), $"layer {l} index {i}");
                }
            }
        }
    }

    [Fact]
    public void Training_is_bit_identical_with_one_or_two_threads()
    {
        byte[] Train(int threads)
        {
            using var _ = Parallelism.Limit(threads);
            var random = new SeededRandom(11);
            var model = Mlp.Create([20, 64, 64, 1], Activation.Relu, random);
            var x = GemmTests.RandomArray(random, 300 * 20);
            var y = Enumerable.Range(0, 300).Select(i => x[i * 20] * 2f - x[(i * 20) + 3]).ToArray();
            MlpTrainer.Train(model, x, y, x[..(50 * 20)], y[..50], new TrainingOptions { Epochs = 4, BatchSize = 32, Seed = 5, Patience = 2 });
            return model.Layers.SelectMany(l => l.Weight.Data.Concat(l.Bias)).SelectMany(BitConverter.GetBytes).ToArray();
        }

        Train(1).ShouldBe(Train(2));
    }

    [Fact]
    public void Training_fits_a_simple_function()
    {
        var random = new SeededRandom(2);
        var model = Mlp.Create([3, 32, 1], Activation.Relu, random);
        var x = GemmTests.RandomArray(random, 512 * 3);
        var y = Enumerable.Range(0, 512).Select(i => (float)Math.Abs(x[i * 3] + x[(i * 3) + 1])).ToArray();
        var before = MlpTrainer.MeanAbsoluteError(model, x, y);
        var result = MlpTrainer.Train(model, x, y, null, null, new TrainingOptions { Epochs = 60, BatchSize = 32, Seed = 1, Schedule = new LearningRateSchedule(ScheduleKind.Cosine, 1e-2, WarmupEpochs: 2) });
        var after = MlpTrainer.MeanAbsoluteError(model, x, y);
        result.EpochsRun.ShouldBe(60);
        after.ShouldBeLessThan(before / 4);
    }

    [Fact]
    public void Early_stopping_restores_the_best_epoch()
    {
        var random = new SeededRandom(9);
        var model = Mlp.Create([4, 16, 1], Activation.Relu, random);
        var x = GemmTests.RandomArray(random, 64 * 4);
        var y = GemmTests.RandomArray(random, 64);
        var vx = GemmTests.RandomArray(random, 32 * 4);
        var vy = GemmTests.RandomArray(random, 32);
        var result = MlpTrainer.Train(model, x, y, vx, vy, new TrainingOptions { Epochs = 500, BatchSize = 8, Patience = 5, Schedule = new LearningRateSchedule(ScheduleKind.Constant, 3e-2) });
        result.StoppedEarly.ShouldBeTrue();
        result.EpochsRun.ShouldBe(result.BestEpoch + 6);
        MlpTrainer.MeanAbsoluteError(model, vx, vy).ShouldBe(result.BestValidationMae!.Value, 1e-6);
    }
}
