using System.Numerics;
using System.Numerics.Tensors;

namespace LatencyGate.Learning;

internal enum OptimizerKind
{
    /// <summary>SGD with (optionally Nesterov) momentum and L2 weight decay, as torch.optim.SGD.</summary>
    Sgd,

    /// <summary>Adam with L2 weight decay added to the gradient, as torch.optim.Adam.</summary>
    Adam,

    /// <summary>Adam with decoupled weight decay, as torch.optim.AdamW.</summary>
    AdamW,
}

/// <summary>Optimizer hyper-parameters (PyTorch defaults where it has them).</summary>
internal sealed record OptimizerSettings(
    OptimizerKind Kind = OptimizerKind.AdamW,
    double Momentum = 0.9,
    bool Nesterov = false,
    double WeightDecay = 0.0,
    double Beta1 = 0.9,
    double Beta2 = 0.999,
    double Epsilon = 1e-8);

/// <summary>Updates parameters from their gradients; keeps per-parameter state (momentum, moments).</summary>
internal sealed class Optimizer
{
    private readonly OptimizerSettings _settings;
    private readonly IReadOnlyList<Parameter> _parameters;
    private readonly float[][] _first;
    private readonly float[][] _second;
    private long _step;

    public Optimizer(OptimizerSettings settings, IReadOnlyList<Parameter> parameters)
    {
        _settings = settings;
        _parameters = parameters;
        _first = parameters.Select(p => new float[p.Value.Length]).ToArray();
        _second = settings.Kind == OptimizerKind.Sgd ? [] : parameters.Select(p => new float[p.Value.Length]).ToArray();
    }

    public OptimizerSettings Settings => _settings;

    /// <summary>One update from the current gradients, which it consumes: their contents afterwards are unspecified.</summary>
    public void Step(double learningRate)
    {
        _step++;
        for (var i = 0; i < _parameters.Count; i++)
        {
            var p = _parameters[i];
            var decay = p.Decay ? _settings.WeightDecay : 0.0;
            switch (_settings.Kind)
            {
                case OptimizerKind.Sgd:
                    StepSgd(p.Value, p.Gradient, p.Anchor, _first[i], learningRate, decay);
                    break;
                case OptimizerKind.Adam:
                case OptimizerKind.AdamW:
                    StepAdam(p.Value, p.Gradient, p.Anchor, _first[i], _second[i], learningRate, decay, decoupled: _settings.Kind == OptimizerKind.AdamW);
                    break;
                default:
                    throw new InvalidOperationException("unknown optimizer");
            }
        }
    }

    private void StepSgd(Span<float> w, Span<float> g, float[]? anchor, Span<float> velocity, double lr, double decay)
    {
        if (decay != 0.0)
        {
            CoupledDecay(w, g, anchor, decay);
        }

        var mu = (float)_settings.Momentum;
        if (mu == 0f)
        {
            TensorPrimitives.MultiplyAdd(g, (float)-lr, w, w);
            return;
        }

        // torch: v = μv + g (the first step sets v = g); w -= lr·(Nesterov ? g + μv : v).
        if (_step == 1)
        {
            g.CopyTo(velocity);
        }
        else
        {
            TensorPrimitives.MultiplyAdd(velocity, mu, g, velocity);
        }

        if (_settings.Nesterov)
        {
            TensorPrimitives.MultiplyAdd(velocity, mu, g, g);
            TensorPrimitives.MultiplyAdd(g, (float)-lr, w, w);
        }
        else
        {
            TensorPrimitives.MultiplyAdd(velocity, (float)-lr, w, w);
        }
    }

    /// <summary>g += decay·(w − anchor): the gradient of (decay/2)·‖w − anchor‖² (anchor 0 without one).</summary>
    private static void CoupledDecay(Span<float> w, Span<float> g, ReadOnlySpan<float> anchor, double decay)
    {
        TensorPrimitives.MultiplyAdd(w, (float)decay, g, g);
        if (!anchor.IsEmpty)
        {
            TensorPrimitives.MultiplyAdd(anchor, (float)-decay, g, g);
        }
    }

    private void StepAdam(Span<float> w, Span<float> g, float[]? anchor, Span<float> m, Span<float> v, double lr, double decay, bool decoupled)
    {
        if (decay != 0.0)
        {
            if (decoupled)
            {
                // w ← w − lr·decay·(w − anchor)
                TensorPrimitives.Multiply(w, (float)(1.0 - (lr * decay)), w);
                if (anchor is not null)
                {
                    TensorPrimitives.MultiplyAdd(anchor, (float)(lr * decay), w, w);
                }
            }
        }

        // Coupled decay (Adam): g + decay·(w − anchor), folded into the vector loop below; the scalar
        // tail and the non-vector path use CoupledDecay, with the same operations in the same order.
        var coupled = decay != 0.0 && !decoupled;

        var b1 = (float)_settings.Beta1;
        var b2 = (float)_settings.Beta2;
        var bias1 = 1.0 - Math.Pow(_settings.Beta1, _step);
        var bias2 = 1.0 - Math.Pow(_settings.Beta2, _step);
        var stepSize = (float)(lr / bias1);
        var sqrtBias2 = (float)Math.Sqrt(bias2);
        var eps = (float)_settings.Epsilon;
        var j = 0;

        // Vector lanes evaluate the scalar expression below operation by operation, in the same order
        // (no fused multiply-add), so both paths give the same bits.
        if (Vector.IsHardwareAccelerated)
        {
            var lanes = Vector<float>.Count;
            var vb1 = new Vector<float>(b1);
            var vb2 = new Vector<float>(b2);
            var vc1 = new Vector<float>(1f - b1);
            var vc2 = new Vector<float>(1f - b2);
            var vStep = new Vector<float>(stepSize);
            var vSqrtBias2 = new Vector<float>(sqrtBias2);
            var vEps = new Vector<float>(eps);
            var vDecay = new Vector<float>((float)decay);
            var vNegDecay = new Vector<float>((float)-decay);
            for (; j <= w.Length - lanes; j += lanes)
            {
                var gj = new Vector<float>(g[j..]);
                if (coupled)
                {
                    gj = (new Vector<float>(w[j..]) * vDecay) + gj;
                    if (anchor is not null)
                    {
                        gj = (new Vector<float>(anchor.AsSpan(j)) * vNegDecay) + gj;
                    }
                }

                var mj = (vb1 * new Vector<float>(m[j..])) + (vc1 * gj);
                var vj = (vb2 * new Vector<float>(v[j..])) + (vc2 * gj * gj);
                mj.CopyTo(m[j..]);
                vj.CopyTo(v[j..]);
                (new Vector<float>(w[j..]) - (vStep * mj / ((Vector.SquareRoot(vj) / vSqrtBias2) + vEps))).CopyTo(w[j..]);
            }
        }

        if (coupled && j < w.Length)
        {
            CoupledDecay(w[j..], g[j..], anchor is null ? default : anchor.AsSpan(j), decay);
        }

        for (; j < w.Length; j++)
        {
            var gj = g[j];
            var mj = (b1 * m[j]) + ((1f - b1) * gj);
            var vj = (b2 * v[j]) + ((1f - b2) * gj * gj);
            m[j] = mj;
            v[j] = vj;
            w[j] -= stepSize * mj / ((MathF.Sqrt(vj) / sqrtBias2) + eps);
        }
    }
}
