using TorchSharp;
using static TorchSharp.torch;

namespace LatencyGate.Torch;

/// <summary>
/// Adam, AdamW and SGD as TorchSharp's <c>torch.optim</c> implements them, operation for operation
/// (so the weights are the same bit for bit), except that every <see cref="Scalar"/> they pass to
/// libtorch is held until the call returns (<see cref="HeldScalars"/> says why): TorchSharp's own
/// optimizers pass temporaries, and a garbage collection on another thread (the gate builds devices
/// in parallel) could free one mid-call and stop the process.
/// </summary>
internal sealed class TorchOptimizer : IDisposable
{
    private readonly Kind _kind;
    private readonly IReadOnlyList<(IReadOnlyList<TorchSharp.Modules.Parameter> Parameters, double WeightDecay)> _groups;
    private readonly double _beta1;
    private readonly double _beta2;
    private readonly double _epsilon;
    private readonly double _momentum;
    private readonly bool _nesterov;
    private readonly Dictionary<TorchSharp.Modules.Parameter, State> _state = new(ReferenceEqualityComparer.Instance);

    private TorchOptimizer(Kind kind, IReadOnlyList<(IReadOnlyList<TorchSharp.Modules.Parameter>, double)> groups, double rate, double beta1, double beta2, double epsilon, double momentum, bool nesterov)
    {
        _kind = kind;
        _groups = groups;
        Rate = rate;
        (_beta1, _beta2, _epsilon, _momentum, _nesterov) = (beta1, beta2, epsilon, momentum, nesterov);
        foreach (var (parameters, _) in groups)
        {
            foreach (var p in parameters)
            {
                // As torch.optim's Adam and AdamW initialize their state when they are created.
                _state[p] = kind == Kind.Sgd
                    ? new State()
                    : new State { ExpAvg = zeros_like(p).DetachFromDisposeScope(), ExpAvgSq = zeros_like(p).DetachFromDisposeScope() };
            }
        }
    }

    private enum Kind
    {
        Adam,
        AdamW,
        Sgd,
    }

    /// <summary>The learning rate of the next <see cref="Step"/> (every group's).</summary>
    public double Rate { get; set; }

    public static TorchOptimizer Adam(IReadOnlyList<(IReadOnlyList<TorchSharp.Modules.Parameter>, double WeightDecay)> groups, double rate, double beta1 = 0.9, double beta2 = 0.999, double epsilon = 1e-8) =>
        new(Kind.Adam, groups, rate, beta1, beta2, epsilon, 0, false);

    public static TorchOptimizer AdamW(IReadOnlyList<(IReadOnlyList<TorchSharp.Modules.Parameter>, double WeightDecay)> groups, double rate, double beta1, double beta2, double epsilon) =>
        new(Kind.AdamW, groups, rate, beta1, beta2, epsilon, 0, false);

    public static TorchOptimizer Sgd(IReadOnlyList<(IReadOnlyList<TorchSharp.Modules.Parameter>, double WeightDecay)> groups, double rate, double momentum, bool nesterov) =>
        new(Kind.Sgd, groups, rate, 0, 0, 0, momentum, nesterov);

    /// <summary>Sets every gradient to zero, as <c>torch.optim</c>'s <c>zero_grad</c>.</summary>
    public void ZeroGrad()
    {
        foreach (var (parameters, _) in _groups)
        {
            foreach (var p in parameters)
            {
                using var grad = p.grad;
                _ = grad?.zero_();
            }
        }
    }

    public void Step()
    {
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        foreach (var (parameters, weightDecay) in _groups)
        {
            switch (_kind)
            {
                case Kind.Adam:
                case Kind.AdamW:
                    StepAdam(parameters, weightDecay, decoupled: _kind == Kind.AdamW);
                    break;
                default:
                    StepSgd(parameters, weightDecay);
                    break;
            }
        }
    }

    public void Dispose()
    {
        foreach (var state in _state.Values)
        {
            state.ExpAvg?.Dispose();
            state.ExpAvgSq?.Dispose();
            state.MomentumBuffer?.Dispose();
        }

        _state.Clear();
    }

    private void StepAdam(IReadOnlyList<TorchSharp.Modules.Parameter> parameters, double weightDecay, bool decoupled)
    {
        var lr = Rate;
        using var beta1 = _beta1.ToScalar();
        using var beta2 = _beta2.ToScalar();
        using var oneMinusBeta1 = (1 - _beta1).ToScalar();
        using var oneMinusBeta2 = (1 - _beta2).ToScalar();
        using var epsilon = _epsilon.ToScalar();
        using var decay = weightDecay.ToScalar();
        using var shrink = (1 - (lr * weightDecay)).ToScalar();
        foreach (var param in parameters)
        {
            var grad = param.grad;
            if (grad is null)
            {
                continue;
            }

            var state = _state[param];
            state.Step += 1;
            if (decoupled)
            {
                param.mul_(shrink);
            }

            var biasCorrection1 = 1 - Math.Pow(_beta1, state.Step);
            var biasCorrection2 = 1 - Math.Pow(_beta2, state.Step);
            if (!decoupled && weightDecay != 0)
            {
                grad = grad.add(param, alpha: decay);
            }

            state.ExpAvg!.mul_(beta1).add_(grad, alpha: oneMinusBeta1);
            state.ExpAvgSq!.mul_(beta2).addcmul_(grad, decoupled ? grad : grad.conj(), value: oneMinusBeta2);
            using var sqrtCorrection2 = Math.Sqrt(biasCorrection2).ToScalar();
            var denominator = state.ExpAvgSq.sqrt().div(sqrtCorrection2).add_(epsilon, HeldScalars.One);
            using var stepSize = (-(lr / biasCorrection1)).ToScalar();
            param.addcdiv_(state.ExpAvg, denominator, value: stepSize);
        }
    }

    private void StepSgd(IReadOnlyList<TorchSharp.Modules.Parameter> parameters, double weightDecay)
    {
        using var decay = weightDecay.ToScalar();
        using var momentum = _momentum.ToScalar();
        using var oneMinusDampening = 1.0.ToScalar();
        using var alpha = (-Rate).ToScalar();
        foreach (var param in parameters)
        {
            var grad = param.grad;
            if (grad is null)
            {
                continue;
            }

            var state = _state[param];
            if (weightDecay != 0)
            {
                grad = grad.add(param, alpha: decay);
            }

            if (_momentum != 0)
            {
                var buffer = state.MomentumBuffer;
                if (buffer is null)
                {
                    buffer = grad.clone().detach().DetachFromDisposeScope();
                    state.MomentumBuffer = buffer;
                }
                else
                {
                    buffer.mul_(momentum).add_(grad, alpha: oneMinusDampening);
                }

                grad = _nesterov ? grad.add(buffer, alpha: momentum) : buffer;
            }

            param.add_(grad, alpha: alpha);
        }
    }

    private sealed class State
    {
        public long Step { get; set; }

        public Tensor? ExpAvg { get; init; }

        public Tensor? ExpAvgSq { get; init; }

        public Tensor? MomentumBuffer { get; set; }
    }
}
