using LatencyGate.Predictors.Lut;
using LatencyGate.Adaptation.Features;
using LatencyGate.Numerics;
using LatencyGate.Diagnostics;
using LatencyGate.Spaces;

namespace LatencyGate.Adaptation;

/// <summary>
/// A per-layer latency lookup table learned from whole-network measurements, keyed exactly as OFA's
/// tables (<see cref="LayerShape.LutKey"/>, one table per resolution). Fitted in two steps:
/// a non-negative additive per-operator model shared across resolutions (each layer's cost is its
/// operator's cost times its spatial area), which is the prior; then, resolution by resolution (an arch
/// has one resolution, so the tables decouple), non-negative ridge of every key's cost toward its prior.
/// Keys never measured keep the prior. Usable as a base or proxy, and exportable as an OFA LUT folder.
/// </summary>
internal sealed class LearnedLut : PointPredictor
{
    private readonly Dictionary<string, LutEntry> _entries;
    private readonly LinearLatencyModel _prior;

    private LearnedLut(OfaSpace space, Dictionary<string, LutEntry> entries, LinearLatencyModel prior, string deviceName)
        : base(space)
    {
        _entries = entries;
        _prior = prior;
        DeviceName = deviceName;
    }

    public string DeviceName { get; }

    public IReadOnlyDictionary<string, LutEntry> Entries => _entries;

    public override string Description => FormattableString.Invariant($"learned LUT for {DeviceName} ({_entries.Count} fitted layer keys)");

    public override double PredictOne(Arch arch)
    {
        var total = 0.0;
        foreach (var layer in OfaBlockShapes.Layers(arch, Space))
        {
            total += _entries.TryGetValue(layer.LutKey, out var entry) ? entry.Mean : PriorCost(_prior, layer);
        }

        return total;
    }

    public static LearnedLut Fit(OfaSpace space, IReadOnlyList<LatencyShot> shots, string deviceName, double relativePenalty = 0.05)
    {
        if (shots.Count == 0)
        {
            throw new LatencyGateException(AdaptationErrors.TooFewShots, "a learned lookup table needs at least one measurement");
        }

        var structured = new StructuredFeatures(space);
        var prior = FitPrior(structured, space, shots, deviceName);
        var entries = new Dictionary<string, LutEntry>(StringComparer.Ordinal);
        foreach (var group in shots.GroupBy(s => s.Arch.Resolution).OrderBy(g => g.Key))
        {
            var rows = group.ToArray();
            var layersOf = rows.Select(s => OfaBlockShapes.Layers(s.Arch, space)).ToArray();
            var keys = new Dictionary<string, int>(StringComparer.Ordinal);
            var priorCost = new List<double>();
            foreach (var layers in layersOf)
            {
                foreach (var layer in layers)
                {
                    if (keys.TryAdd(layer.LutKey, keys.Count))
                    {
                        priorCost.Add(PriorCost(prior, layer));
                    }
                }
            }

            var x = new double[rows.Length][];
            var counts = new int[keys.Count];
            for (var i = 0; i < rows.Length; i++)
            {
                x[i] = new double[keys.Count];
                foreach (var layer in layersOf[i])
                {
                    var k = keys[layer.LutKey];
                    if (x[i][k] == 0)
                    {
                        counts[k]++;
                    }

                    x[i][k] += 1;
                }
            }

            var y = rows.Select(s => s.LatencyMs).ToArray();
            var penalty = LinearLatencyModel.ScaledPenalty(x, relativePenalty, keys.Count);
            var cost = LinearSolve.NonNegativeRidge(x, y, penalty, Enumerable.Repeat(true, keys.Count).ToArray(), priorCost.ToArray());

            // std: RMS whole-network residual of the networks holding the key, times the key's share of them.
            var residualSq = new double[keys.Count];
            var shareSum = new double[keys.Count];
            for (var i = 0; i < rows.Length; i++)
            {
                var predicted = FixedOrder.Dot(x[i], cost);
                var r = y[i] - predicted;
                for (var k = 0; k < keys.Count; k++)
                {
                    if (x[i][k] > 0)
                    {
                        var share = predicted > 0 ? x[i][k] * cost[k] / predicted : 0;
                        residualSq[k] += share * share * r * r;
                        shareSum[k] += 1;
                    }
                }
            }

            foreach (var (key, k) in keys)
            {
                entries[key] = new LutEntry(cost[k], Math.Sqrt(residualSq[k] / Math.Max(1, shareSum[k])), counts[k]);
            }
        }

        return new LearnedLut(space, entries, prior, deviceName);
    }

    /// <summary>
    /// Writes an OFA-format LUT folder: <c>{r}_lookup_table.yaml</c> for every resolution of the space,
    /// every layer key with <c>count</c> (training networks holding it, 0 for prior-only keys), <c>mean</c>
    /// (ms) and <c>std</c>. Returns the files written.
    /// </summary>
    public IReadOnlyList<string> Export(string folder) =>
        LutWriter.WriteFolder(folder, Space.Resolutions.Select(r =>
        {
            var table = new Dictionary<string, LutEntry>(StringComparer.Ordinal);
            foreach (var layer in AllLayers(r))
            {
                if (!table.ContainsKey(layer.LutKey))
                {
                    table[layer.LutKey] = _entries.TryGetValue(layer.LutKey, out var e) ? e : new LutEntry(PriorCost(_prior, layer), 0, 0);
                }
            }

            return (r, (IReadOnlyDictionary<string, LutEntry>)table);
        }));

    /// <summary>Every layer a sub-network at resolution <paramref name="r"/> can have: all (kernel, expand) at depth 4.</summary>
    private IEnumerable<LayerShape> AllLayers(int r)
    {
        foreach (var k in OfaSpace.KernelSizeChoices)
        {
            foreach (var e in OfaSpace.ExpandRatioChoices)
            {
                var arch = Arch.CreateTrusted(
                    Enumerable.Repeat((byte)k, Arch.SlotCount).ToArray(),
                    Enumerable.Repeat((byte)e, Arch.SlotCount).ToArray(),
                    Enumerable.Repeat((byte)Arch.MaxDepth, Arch.StageCount).ToArray(),
                    r);
                foreach (var layer in OfaBlockShapes.Layers(arch, Space))
                {
                    yield return layer;
                }
            }
        }
    }

    // All costs non-negative, the intercept included: a LUT has no offset, so it becomes the Logits entry.
    private static LinearLatencyModel FitPrior(StructuredFeatures features, OfaSpace space, IReadOnlyList<LatencyShot> shots, string deviceName) =>
        LinearLatencyModel.Fit(features, space, shots, deviceName, 1e-4, nonNegativeIntercept: true);

    /// <summary>A layer's share of the additive model: its operator's cost at its area, the stem and head split between their layers.</summary>
    private static double PriorCost(LinearLatencyModel prior, LayerShape layer)
    {
        var w = prior.Coefficients.Weights;
        switch (layer.Kind)
        {
            case OfaLayerKind.FirstConv:
                return 0.5 * w[StructuredFeatures.StemIndex] * layer.OutputSize * layer.OutputSize / (112.0 * 112.0);
            case OfaLayerKind.FirstBlock:
                return 0.5 * w[StructuredFeatures.StemIndex] * layer.OutputSize * layer.OutputSize / (112.0 * 112.0);
            case OfaLayerKind.Block:
                int[] reference = [56, 28, 14, 14, 7];
                var stage = layer.OperatorGroup / 18;
                return (w[layer.OperatorGroup] * layer.OutputSize * layer.OutputSize / (reference[stage] * reference[stage])) + w[StructuredFeatures.CountIndex + stage];
            case OfaLayerKind.FinalExpand:
                return w[StructuredFeatures.HeadIndex] * layer.OutputSize * layer.OutputSize / 49.0;
            case OfaLayerKind.Classifier:
                return prior.Coefficients.Intercept;
            default:
                return 0;
        }
    }
}

// One LUT entry in OFA's format.
