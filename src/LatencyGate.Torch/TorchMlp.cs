using LatencyGate.Learning;
using TorchSharp;
using static TorchSharp.torch;

namespace LatencyGate.Torch;

/// <summary>Our <see cref="Mlp"/> as libtorch tensors: weight [out, in] as nn.Linear, the same activations.</summary>
internal sealed class TorchMlp
{
    private readonly Activation[] _activations;

    private TorchMlp(List<TorchSharp.Modules.Parameter> weights, List<TorchSharp.Modules.Parameter> biases, Activation[] activations)
    {
        Weights = weights;
        Biases = biases;
        _activations = activations;
    }

    public IReadOnlyList<TorchSharp.Modules.Parameter> Weights { get; }

    public IReadOnlyList<TorchSharp.Modules.Parameter> Biases { get; }

    /// <summary>Copies the weights; layers from <paramref name="trainableFrom"/> on require gradients.</summary>
    public static TorchMlp From(Mlp model, int trainableFrom)
    {
        var weights = new List<TorchSharp.Modules.Parameter>();
        var biases = new List<TorchSharp.Modules.Parameter>();
        for (var l = 0; l < model.Layers.Count; l++)
        {
            var layer = model.Layers[l];
            var train = l >= trainableFrom;
            weights.Add(new TorchSharp.Modules.Parameter(tensor(layer.Weight.Data, [layer.Outputs, layer.Inputs]), train));
            biases.Add(new TorchSharp.Modules.Parameter(tensor(layer.Bias, [layer.Outputs]), train));
        }

        return new TorchMlp(weights, biases, model.Layers.Select(l => l.Activation).ToArray());
    }

    /// <summary>Held for the process (<see cref="HeldScalars"/> says why).</summary>
    private static readonly Scalar LeakySlope = 0.01.ToScalar();

    /// <summary>The first <paramref name="layers"/> layers (all by default) applied to [rows, in].</summary>
    public Tensor Forward(Tensor input, int layers = int.MaxValue)
    {
        var x = input;
        for (var l = 0; l < Math.Min(layers, Weights.Count); l++)
        {
            x = nn.functional.linear(x, Weights[l], Biases[l]);
            x = _activations[l] switch
            {
                Activation.Relu => nn.functional.relu(x),
                Activation.LeakyRelu => x.leaky_relu(LeakySlope),
                _ => x,
            };
        }

        return x;
    }

    /// <summary>The current weights and biases as arrays (weights of layer l at 2l, biases at 2l + 1).</summary>
    public float[][] Snapshot()
    {
        var values = new float[Weights.Count * 2][];
        for (var l = 0; l < Weights.Count; l++)
        {
            values[2 * l] = Weights[l].detach().contiguous().data<float>().ToArray();
            values[(2 * l) + 1] = Biases[l].detach().contiguous().data<float>().ToArray();
        }

        return values;
    }

    /// <summary>Writes a snapshot (or the current weights) into <paramref name="model"/>.</summary>
    public void CopyInto(Mlp model, float[][]? snapshot)
    {
        snapshot ??= Snapshot();
        for (var l = 0; l < model.Layers.Count; l++)
        {
            snapshot[2 * l].CopyTo(model.Layers[l].Weight.Data, 0);
            snapshot[(2 * l) + 1].CopyTo(model.Layers[l].Bias, 0);
        }
    }
}
