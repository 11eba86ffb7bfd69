using LatencyGate.Learning;
using LatencyGate.Randomness;
using Shouldly;
using Xunit;

namespace LatencyGate.Tests.Learning;

public sealed class SparseFirstLayerTests
{
    [Fact]
    public void Matches_the_dense_forward_pass_on_sparse_inputs()
    {
        var random = new SeededRandom(21);
        var model = Mlp.Create([40, 24, 8, 1], Activation.Relu, random);
        const int rows = 300;
        var dense = new float[rows * 40];
        var starts = new List<int> { 0 };
        var indices = new List<int>();
        var values = new List<float>();
        for (var r = 0; r < rows; r++)
        {
            for (var i = 0; i < 40; i++)
            {
                if (random.NextDouble() < 0.2)
                {
                    var v = random.NextDouble() < 0.5 ? 1f : (float)random.NextGaussian();
                    dense[(r * 40) + i] = v;
                    indices.Add(i);
                    values.Add(v);
                }
            }

            starts.Add(indices.Count);
        }

        var expected = new float[rows];
        model.Predict(dense, expected);

        var hidden = new Matrix(rows, model.MaxWidth);
        new SparseFirstLayer(model.Layers[0]).Forward(starts.ToArray(), indices.ToArray(), values.ToArray(), rows, hidden.Data);
        var output = model.ForwardFrom(1, hidden, rows, new Matrix(rows, model.MaxWidth), new Matrix(rows, model.MaxWidth));
        for (var r = 0; r < rows; r++)
        {
            output[r].ShouldBe(expected[r], 1e-4f);
        }
    }

    [Fact]
    public void Standardizer_round_trips_and_keeps_constant_columns()
    {
        var data = new float[] { 1, 5, 3, 5, 5, 5 };
        var s = Standardizer.Fit(data, 2);
        s.Mean.ShouldBe([3f, 5f]);
        s.Scale[1].ShouldBe(1f);
        var copy = (float[])data.Clone();
        s.Apply(copy);
        copy[0].ShouldBe(-1.2247449f, 1e-5f);
        s.Invert(copy);
        copy.ShouldBe(data);
    }
}
