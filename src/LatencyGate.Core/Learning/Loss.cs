namespace LatencyGate.Learning;

/// <summary>The training losses; values and gradients are means over the batch.</summary>
internal enum LossKind
{
    /// <summary>Mean squared error.</summary>
    Mse,

    /// <summary>√MSE per batch: the seed paper's loss.</summary>
    Rmse,

    /// <summary>Huber (quadratic within δ, linear beyond), robust to measurement outliers.</summary>
    Huber,

    /// <summary>Mean squared relative error in original units, ((ŷ − y) / y)², so fast and slow networks count alike.</summary>
    Relative,
}

/// <summary>
/// Computes a loss and its gradient with respect to the predictions. Targets may be normalized:
/// <paramref name="targetScale"/> and <paramref name="targetShift"/> map them back to original
/// units (value · scale + shift), which only the relative loss needs.
/// </summary>
internal sealed class Loss(LossKind kind, double huberDelta = 1.0, double targetScale = 1.0, double targetShift = 0.0)
{
    public LossKind Kind { get; } = kind;

    public static string Name(LossKind kind) => kind switch
    {
        LossKind.Mse => "mse",
        LossKind.Rmse => "rmse",
        LossKind.Huber => "huber",
        LossKind.Relative => "relative",
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    /// <summary>Returns the loss; writes dLoss/dprediction into <paramref name="gradient"/>.</summary>
    public double Compute(ReadOnlySpan<float> predictions, ReadOnlySpan<float> targets, Span<float> gradient)
    {
        var n = predictions.Length;
        if (targets.Length != n || gradient.Length != n)
        {
            throw new ArgumentException("predictions, targets and gradient differ in length");
        }

        if (n == 0)
        {
            return 0.0;
        }

        var sum = 0.0;
        switch (Kind)
        {
            case LossKind.Mse:
            case LossKind.Rmse:
                for (var i = 0; i < n; i++)
                {
                    double d = predictions[i] - targets[i];
                    sum += d * d;
                    gradient[i] = (float)(2.0 * d / n);
                }

                if (Kind == LossKind.Mse)
                {
                    return sum / n;
                }

                // d√L/dŷ = (dL/dŷ) / (2√L); at L = 0 the gradient is taken as 0.
                var rmse = Math.Sqrt(sum / n);
                var factor = rmse > 0 ? 1.0 / (2.0 * rmse) : 0.0;
                for (var i = 0; i < n; i++)
                {
                    gradient[i] = (float)(gradient[i] * factor);
                }

                return rmse;

            case LossKind.Huber:
                for (var i = 0; i < n; i++)
                {
                    double d = predictions[i] - targets[i];
                    var a = Math.Abs(d);
                    if (a <= huberDelta)
                    {
                        sum += 0.5 * d * d;
                        gradient[i] = (float)(d / n);
                    }
                    else
                    {
                        sum += huberDelta * (a - (0.5 * huberDelta));
                        gradient[i] = (float)(huberDelta * Math.Sign(d) / n);
                    }
                }

                return sum / n;

            case LossKind.Relative:
                for (var i = 0; i < n; i++)
                {
                    var truth = Math.Max(Math.Abs((targets[i] * targetScale) + targetShift), 1e-9);
                    var r = (predictions[i] - targets[i]) * targetScale / truth;
                    sum += r * r;
                    gradient[i] = (float)(2.0 * r * targetScale / truth / n);
                }

                return sum / n;

            default:
                throw new InvalidOperationException("unknown loss");
        }
    }
}
