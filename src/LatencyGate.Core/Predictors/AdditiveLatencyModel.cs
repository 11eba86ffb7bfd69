using LatencyGate.Learning;
using LatencyGate.Numerics;
using LatencyGate.Spaces;

namespace LatencyGate.Predictors;

/// <summary>
/// The structured model: latency = Σ over active block slots of cost(slot, kernel, expand, r)
/// + fixed(r) (stem, final layers, head), the form of OFA's lookup tables. A slot fixes a block's
/// shape (channels, stride), so (slot, kernel, expand) is OFA's layer key. The dependence on
/// resolution is piecewise linear in r² (pixels) between knots at the training resolutions,
/// extended linearly beyond them, so costs are exact at measured resolutions and follow the
/// pixel count elsewhere. Fitted by ridge least squares in one of the forms of <see cref="AdditiveForm"/>
/// (chosen with the penalty by cross-validation in <see cref="AdditiveModelSelection"/>).
/// </summary>
internal sealed class AdditiveLatencyModel
{
    public const int Keys = Arch.SlotCount * 9;

    public AdditiveLatencyModel(float[] knots, double[] weights, double intercept)
    {
        if (knots.Length == 0 || weights.Length != FeatureCount(knots.Length))
        {
            throw new ArgumentException("knots and weights do not match");
        }

        // Kept at float32 precision, as stored in predictor files, so a model predicts the same before and after a round trip.
        Knots = knots;
        Weights = weights.Select(w => (double)(float)w).ToArray();
        Intercept = (float)intercept;
    }

    /// <summary>Resolutions (ascending) at which costs are free parameters.</summary>
    public float[] Knots { get; }

    public double[] Weights { get; }

    public double Intercept { get; }

    public double Lambda { get; init; }

    public static int FeatureCount(int knots) => knots * (1 + Keys);

    public static int MaxNonZero => 2 * (1 + Arch.SlotCount);

    public double Predict(Arch arch)
    {
        Span<(int, double)> features = stackalloc (int, double)[MaxNonZero];
        var n = Features(Knots, arch, features);
        var sum = Intercept;
        foreach (var (i, v) in features[..n])
        {
            sum += Weights[i] * v;
        }

        return sum;
    }

    /// <summary>Cost of one layer key at a resolution, as fitted (for reports and sanity checks).</summary>
    public double LayerCost(int slot, int kernelSize, int expandRatio, int resolution)
    {
        Span<(int Knot, double Weight)> hat = stackalloc (int, double)[2];
        var h = Hat(Knots, resolution, hat);
        var key = (slot * 9) + (OfaGeometry.KernelIndex(kernelSize) * 3) + OfaGeometry.ExpandIndex(expandRatio);
        var sum = 0.0;
        foreach (var (k, w) in hat[..h])
        {
            sum += w * Weights[Knots.Length + (key * Knots.Length) + k];
        }

        return sum;
    }

    public static int Features(float[] knots, Arch arch, Span<(int Index, double Value)> features)
    {
        Span<(int Knot, double Weight)> hat = stackalloc (int, double)[2];
        var h = Hat(knots, arch.Resolution, hat);
        var k = knots.Length;
        var n = 0;
        for (var j = 0; j < h; j++)
        {
            features[n++] = (hat[j].Knot, hat[j].Weight);
        }

        for (var slot = 0; slot < Arch.SlotCount; slot++)
        {
            if (!arch.IsActive(slot))
            {
                continue;
            }

            var key = (slot * 9) + (OfaGeometry.KernelIndex(arch.KernelSizes[slot]) * 3) + OfaGeometry.ExpandIndex(arch.ExpandRatios[slot]);
            for (var j = 0; j < h; j++)
            {
                features[n++] = (k + (key * k) + hat[j].Knot, hat[j].Weight);
            }
        }

        return n;
    }

    /// <summary>Interpolation weights of resolution r over the knots, linear in r².</summary>
    public static int Hat(float[] knots, int resolution, Span<(int Knot, double Weight)> hat)
    {
        if (knots.Length == 1)
        {
            hat[0] = (0, 1.0);
            return 1;
        }

        var t = (double)resolution * resolution;
        var upper = 1;
        while (upper < knots.Length - 1 && t > (double)knots[upper] * knots[upper])
        {
            upper++;
        }

        var lower = upper - 1;
        var t0 = (double)knots[lower] * knots[lower];
        var t1 = (double)knots[upper] * knots[upper];
        var w1 = (t - t0) / (t1 - t0);
        if (Math.Abs(w1) < 1e-12)
        {
            hat[0] = (lower, 1.0);
            return 1;
        }

        if (Math.Abs(w1 - 1.0) < 1e-12)
        {
            hat[0] = (upper, 1.0);
            return 1;
        }

        hat[0] = (lower, 1.0 - w1);
        hat[1] = (upper, w1);
        return 2;
    }

    public static SparseRows Design(float[] knots, IReadOnlyList<Arch> archs)
    {
        var rows = new SparseRows(FeatureCount(knots.Length));
        var buffer = new (int, double)[MaxNonZero];
        foreach (var arch in archs)
        {
            var n = Features(knots, arch, buffer);
            Array.Sort(buffer, 0, n, Comparer<(int, double)>.Create((a, b) => a.Item1.CompareTo(b.Item1)));
            rows.AddRow(buffer.AsSpan(0, n));
        }

        return rows;
    }

    public IReadOnlyList<NamedTensor> ToTensors() =>
    [
        new NamedTensor("additive.knots", [Knots.Length], (float[])Knots.Clone()),
        new NamedTensor("additive.weights", [Weights.Length], Weights.Select(w => (float)w).ToArray()),
        new NamedTensor("additive.intercept", [1], [(float)Intercept]),
    ];

    public static AdditiveLatencyModel FromTensors(NamedTensor knots, NamedTensor weights, NamedTensor intercept) =>
        new(knots.Values, weights.Values.Select(v => (double)v).ToArray(), intercept.Values[0]);
}
