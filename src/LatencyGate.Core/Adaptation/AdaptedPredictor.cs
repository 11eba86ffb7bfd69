using LatencyGate.Adaptation.Features;
using LatencyGate.Numerics;
using LatencyGate.Predictors;
using LatencyGate.Spaces;

namespace LatencyGate.Adaptation;

/// <summary>
/// scale · base(x) + offset + Σ correctionⱼ · fⱼ(x): the affine rescale (no correction) and OneProxy's
/// proxy adaptation (per-operator correction over an additive feature map). Never below 1 % of the
/// rescaled base (of the offset when the base is weighted at zero), so a large negative correction cannot produce a non-physical latency.
/// </summary>
internal sealed class AdaptedPredictor : PointPredictor
{
    private readonly ILatencyPredictor _base;
    private readonly IFeatureMap? _features;
    private readonly double[]? _correction;

    public AdaptedPredictor(ILatencyPredictor basePredictor, string strategy, double scale, double offset, IFeatureMap? features = null, double[]? correction = null, double lambda = double.NaN)
        : base(basePredictor.Space)
    {
        _base = basePredictor;
        Strategy = strategy;
        Scale = scale;
        Offset = offset;
        _features = features;
        _correction = correction;
        Lambda = lambda;
    }

    public string Strategy { get; }

    public double Scale { get; }

    public double Offset { get; }

    public double Lambda { get; }

    public ILatencyPredictor Base => _base;

    /// <summary>The correction's feature map (adaproxy), for <see cref="AdaptedPredictorCodec"/>.</summary>
    internal IFeatureMap? Features => _features;

    internal IReadOnlyList<double>? Correction => _correction;

    public override string Description => FormattableString.Invariant(
        $"{Strategy}: {Scale:G4} × [{_base.Description}] {(Offset < 0 ? '-' : '+')} {Math.Abs(Offset):G4} ms{(_correction is null ? string.Empty : FormattableString.Invariant($" + per-operator correction (λ={Lambda:G3})"))}");

    public override double PredictOne(Arch arch)
    {
        var b = _base.PredictOne(arch);
        var y = (Scale * b) + Offset;
        if (_features is not null && _correction is not null)
        {
            Span<double> f = stackalloc double[_correction.Length];
            _features.Compute(arch, f);
            y += FixedOrder.Dot(f, _correction);
        }

        // A base weighted at zero (adaproxy on a base that ranks the shots wrongly) leaves the offset as the scale.
        return Math.Max(y, 0.01 * Math.Abs(Scale != 0 ? Scale * b : Offset));
    }
}
