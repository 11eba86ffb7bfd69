using LatencyGate.Learning;
using LatencyGate.Predictors;

namespace LatencyGate.Adaptation;

/// <summary>
/// The affine rescale a·ŷ + b folded into a learned predictor's own parameters, so the adapted
/// predictor is again a <see cref="LearnedLatencyPredictor"/> that predictor files can store: additive
/// weights and intercept are scaled; an MLP's target scaler absorbs a and b; a hybrid scales its
/// additive part and its base-input scaler together, so the network sees the same inputs.
/// </summary>
internal static class LearnedRescale
{
    public static LearnedLatencyPredictor Apply(LearnedLatencyPredictor p, double a, double b)
    {
        AdditiveLatencyModel? additive = null;
        if (p.Additive is { } add)
        {
            var intercept = p.Kind == LatencyModelKind.Additive ? (a * add.Intercept) + b : a * add.Intercept;
            additive = new AdditiveLatencyModel(add.Knots, add.Weights.Select(w => a * w).ToArray(), intercept) { Lambda = add.Lambda };
        }

        var target = p.Kind == LatencyModelKind.Additive
            ? p.TargetScaler
            : new TargetScaler((a * p.TargetScaler.Shift) + (p.Kind == LatencyModelKind.Mlp || p.Kind == LatencyModelKind.AdditiveMlp ? b : 0), a * p.TargetScaler.Scale);
        var baseInput = new TargetScaler(a * p.BaseInputScaler.Shift, a * p.BaseInputScaler.Scale);
        return new LearnedLatencyPredictor(p.Space, p.Kind, p.Network, target, additive, baseInput, p.Device);
    }
}
