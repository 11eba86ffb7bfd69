using System.Numerics.Tensors;

namespace LatencyGate.Learning;

/// <summary>The nonlinearities the predictors need. Derivatives are taken from the output, so no pre-activation is kept.</summary>
internal enum Activation
{
    Identity,
    Relu,
    LeakyRelu,
}

internal static class ActivationFunctions
{
    private const float LeakySlope = 0.01f;

    public static string Name(this Activation activation) => activation switch
    {
        Activation.Identity => "identity",
        Activation.Relu => "relu",
        Activation.LeakyRelu => "leaky_relu",
        _ => throw new ArgumentOutOfRangeException(nameof(activation)),
    };

    public static Activation Parse(string name) => name switch
    {
        "identity" => Activation.Identity,
        "relu" => Activation.Relu,
        "leaky_relu" => Activation.LeakyRelu,
        _ => throw new ArgumentException($"unknown activation '{name}'", nameof(name)),
    };

    public static void Apply(this Activation activation, Span<float> values)
    {
        switch (activation)
        {
            case Activation.Identity:
                break;
            case Activation.Relu:
                TensorPrimitives.Max(values, 0f, values);
                break;
            case Activation.LeakyRelu:
                for (var i = 0; i < values.Length; i++)
                {
                    if (values[i] < 0f)
                    {
                        values[i] *= LeakySlope;
                    }
                }

                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(activation));
        }
    }

    /// <summary>gradient ← gradient ⊙ f'(z), with f'(z) read from the output y = f(z).</summary>
    public static void Backward(this Activation activation, ReadOnlySpan<float> output, Span<float> gradient)
    {
        switch (activation)
        {
            case Activation.Identity:
                break;
            case Activation.Relu:
                for (var i = 0; i < gradient.Length; i++)
                {
                    if (output[i] <= 0f)
                    {
                        gradient[i] = 0f;
                    }
                }

                break;
            case Activation.LeakyRelu:
                for (var i = 0; i < gradient.Length; i++)
                {
                    if (output[i] < 0f)
                    {
                        gradient[i] *= LeakySlope;
                    }
                }

                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(activation));
        }
    }
}
