using System.Text;
using LatencyGate.Diagnostics;
using LatencyGate.Numerics;

namespace LatencyGate.Monotonicity;

/// <summary>
/// What the transfer method (<see cref="ProxyAdapters.Best"/> over several source devices, the
/// nasflat-fbnet method) needs from the source devices, fitted once and storable: the structure
/// features' standardization (fixed on the source archs), one structure ridge model per source
/// device with the standardization of its predictions (the prior columns), and how much the sources
/// used each feature (which sets the feature's penalty on the target). <see cref="Adapt"/> fits the
/// new device from a few shots. Space-agnostic: it sees the space's structure features
/// (<see cref="ArchFeatureSet.Structural"/>), never archs.
/// </summary>
internal sealed class SourcePrior
{
    private static readonly byte[] Magic = "LGSRCPR\0"u8.ToArray();
    private const ushort Version = 1;

    private SourcePrior(string space, string[] sources, int featureCount, int[] kept, double[] mean, double[] sd, int[] tiers, LinearFit[] models, double[] priorMean, double[] priorSd, double[] importance, int[] trainCounts)
    {
        Space = space;
        Sources = sources;
        FeatureCount = featureCount;
        Kept = kept;
        Mean = mean;
        Sd = sd;
        Tiers = tiers;
        Models = models;
        PriorMean = priorMean;
        PriorSd = priorSd;
        Importance = importance;
        TrainCounts = trainCounts;
    }

    /// <summary>The space whose structure features the prior takes (fbnet, nasbench201, or an OFA space's name).</summary>
    public string Space { get; }

    /// <summary>The source devices, one prior column each.</summary>
    public IReadOnlyList<string> Sources { get; }

    /// <summary>Length of the raw structure feature vector.</summary>
    public int FeatureCount { get; }

    /// <summary>Per source: how many of its measurements the structure model was fit on.</summary>
    public IReadOnlyList<int> TrainCounts { get; }

    private int[] Kept { get; }

    private double[] Mean { get; }

    private double[] Sd { get; }

    private int[] Tiers { get; }

    private LinearFit[] Models { get; }

    private double[] PriorMean { get; }

    private double[] PriorSd { get; }

    private double[] Importance { get; }

    /// <summary>Length of <see cref="AdaptationPool.Row"/> for this prior: the prior columns, then the kept structure features.</summary>
    public int RowLength => Models.Length + Kept.Length;

    /// <summary>
    /// Fits the prior on the source archs' raw structure features <paramref name="structural"/> and each
    /// source's latency per row (<paramref name="sourceLatency"/>[s][row], NaN where not measured).
    /// Standardization is over every row given; each source's model over its measured rows.
    /// </summary>
    public static SourcePrior Fit(string space, IReadOnlyList<string> sources, IReadOnlyList<double[]> structural, IReadOnlyList<int>? tiers, IReadOnlyList<double[]> sourceLatency)
    {
        ArgumentNullException.ThrowIfNull(sources);
        ArgumentNullException.ThrowIfNull(structural);
        ArgumentNullException.ThrowIfNull(sourceLatency);
        if (sources.Count == 0 || sources.Count != sourceLatency.Count || structural.Count == 0)
        {
            throw new ArgumentException("a source prior needs at least one source and one row, and a name per source");
        }

        var featureCount = structural[0].Length;
        var standardized = FeatureScaling.Standardize(structural, out var kept);
        var mean = new double[kept.Length];
        var sd = new double[kept.Length];
        for (var k = 0; k < kept.Length; k++)
        {
            // The moments FeatureScaling.Standardize used, so the stored transform reproduces its rows.
            var column = kept[k];
            (mean[k], sd[k]) = Moments.Of(structural.Count, i => structural[i][column]);
        }

        var models = new LinearFit[sources.Count];
        var priorMean = new double[sources.Count];
        var priorSd = new double[sources.Count];
        var counts = new int[sources.Count];
        var importance = new double[kept.Length];
        for (var s = 0; s < sources.Count; s++)
        {
            var latency = sourceLatency[s];
            int[] usable = [.. Enumerable.Range(0, structural.Count).Where(i => double.IsFinite(latency[i]))];
            if (usable.Length < 2)
            {
                throw new LatencyGateException(MonotonicityErrors.TooLittleData, $"source '{sources[s]}' has {usable.Length} measured arch(s); a source needs at least 2");
            }

            var model = LeaveOneOutRidge.Fit([.. usable.Select(i => standardized[i])], [.. usable.Select(i => latency[i])]);
            models[s] = LinearFit.From(model);
            counts[s] = usable.Length;
            double[] predicted = [.. standardized.Select(x => models[s].Predict(x))];
            (priorMean[s], priorSd[s]) = Moments.Of(predicted);
            // Importance in units of the source's latency spread, so fast and slow devices weigh alike.
            var latencySd = Math.Sqrt(usable.Select(i => latency[i]).Select(v => v * v).Average() - Math.Pow(usable.Average(i => latency[i]), 2));
            for (var j = 0; j < importance.Length; j++)
            {
                importance[j] += Math.Abs(models[s].Weights[j] / Math.Max(latencySd, 1e-12)) / sources.Count;
            }
        }

        int[] keptTiers = [.. kept.Select(j => tiers is null ? 0 : tiers[j])];
        return new SourcePrior(space, [.. sources], featureCount, kept, mean, sd, keptTiers, models, priorMean, priorSd, importance, counts);
    }

    /// <summary>The adaptation pool over rows with raw structure features <paramref name="structural"/>.</summary>
    public AdaptationPool Pool(IReadOnlyList<double[]> structural)
    {
        ArgumentNullException.ThrowIfNull(structural);
        var standardized = new double[structural.Count][];
        var priors = new double[structural.Count][];
        for (var i = 0; i < structural.Count; i++)
        {
            standardized[i] = Standardize(structural[i]);
            priors[i] = Priors(standardized[i]);
        }

        return AdaptationPool.FromPrior(standardized, Tiers, priors, Importance);
    }

    /// <summary>The mean over the sources of their structure models' predictions (ms): what the prior predicts before any shot.</summary>
    public double Consensus(double[] structural)
    {
        var x = Standardize(structural);
        var sum = 0.0;
        foreach (var model in Models)
        {
            sum += model.Predict(x);
        }

        return sum / Models.Length;
    }

    /// <summary>
    /// Fits the new device from its latency <paramref name="y"/> at archs with raw structure features
    /// <paramref name="structural"/> (the shots): <see cref="ProxyAdapters.Best"/>'s models.
    /// </summary>
    public SourcePriorAdaptation Adapt(IReadOnlyList<double[]> structural, IReadOnlyList<double> y)
    {
        ArgumentNullException.ThrowIfNull(structural);
        ArgumentNullException.ThrowIfNull(y);
        var pool = Pool(structural);
        return new SourcePriorAdaptation(this, ProxyAdapters.FitBest(pool, [.. Enumerable.Range(0, structural.Count)], y));
    }

    /// <summary>The adapted models' input for an arch's raw structure features (see <see cref="AdaptationPool.Row"/>).</summary>
    public double[] Row(double[] structural)
    {
        var x = Standardize(structural);
        return [.. Priors(x), .. x];
    }

    private double[] Standardize(double[] raw)
    {
        if (raw.Length != FeatureCount)
        {
            throw new ArgumentException($"expected {FeatureCount} structure features, got {raw.Length}", nameof(raw));
        }

        var x = new double[Kept.Length];
        for (var k = 0; k < Kept.Length; k++)
        {
            x[k] = (raw[Kept[k]] - Mean[k]) / Sd[k];
        }

        return x;
    }

    private double[] Priors(double[] standardized)
    {
        var p = new double[Models.Length];
        for (var s = 0; s < Models.Length; s++)
        {
            p[s] = PriorSd[s] > 1e-12 ? (Models[s].Predict(standardized) - PriorMean[s]) / PriorSd[s] : 0;
        }

        return p;
    }

    /// <summary>Every number as its IEEE bits, so a decoded prior computes exactly what this one does; same prior, same bytes.</summary>
    public byte[] Encode()
    {
        using var stream = new MemoryStream();
        using (var w = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true))
        {
            w.Write(Magic);
            w.Write(Version);
            w.Write(Space);
            w.Write(FeatureCount);
            w.Write(Sources.Count);
            for (var s = 0; s < Sources.Count; s++)
            {
                w.Write(Sources[s]);
                w.Write(TrainCounts[s]);
                w.Write(PriorMean[s]);
                w.Write(PriorSd[s]);
                w.Write(Models[s].Intercept);
                Write(w, Models[s].Weights);
            }

            w.Write(Kept.Length);
            for (var k = 0; k < Kept.Length; k++)
            {
                w.Write(Kept[k]);
                w.Write(Tiers[k]);
                w.Write(Mean[k]);
                w.Write(Sd[k]);
                w.Write(Importance[k]);
            }
        }

        return stream.ToArray();
    }

    /// <summary>Reads what <see cref="Encode"/> wrote; anything else is an <see cref="InvalidDataException"/> saying what is wrong.</summary>
    public static SourcePrior Decode(byte[] payload)
    {
        ArgumentNullException.ThrowIfNull(payload);
        try
        {
            using var r = new BinaryReader(new MemoryStream(payload, writable: false), Encoding.UTF8);
            if (payload.Length < Magic.Length + 2 || !r.ReadBytes(Magic.Length).AsSpan().SequenceEqual(Magic))
            {
                throw new InvalidDataException("not a source prior");
            }

            var version = r.ReadUInt16();
            if (version != Version)
            {
                throw new InvalidDataException($"source prior version {version}; this tool reads version {Version}");
            }

            var space = r.ReadString();
            var featureCount = r.ReadInt32();
            var sourceCount = Count(r, 1 << 12);
            var names = new string[sourceCount];
            var counts = new int[sourceCount];
            var priorMean = new double[sourceCount];
            var priorSd = new double[sourceCount];
            var models = new LinearFit[sourceCount];
            for (var s = 0; s < sourceCount; s++)
            {
                names[s] = r.ReadString();
                counts[s] = r.ReadInt32();
                priorMean[s] = r.ReadDouble();
                priorSd[s] = r.ReadDouble();
                var intercept = r.ReadDouble();
                models[s] = new LinearFit(intercept, ReadDoubles(r));
            }

            var keptCount = Count(r, 1 << 20);
            var kept = new int[keptCount];
            var tiers = new int[keptCount];
            var mean = new double[keptCount];
            var sd = new double[keptCount];
            var importance = new double[keptCount];
            for (var k = 0; k < keptCount; k++)
            {
                kept[k] = r.ReadInt32();
                tiers[k] = r.ReadInt32();
                mean[k] = r.ReadDouble();
                sd[k] = r.ReadDouble();
                importance[k] = r.ReadDouble();
            }

            if (r.BaseStream.Position != payload.Length)
            {
                throw new InvalidDataException("unexpected trailing bytes");
            }

            if (sourceCount == 0 || featureCount <= 0
                || kept.Any(j => j < 0 || j >= featureCount) || tiers.Any(t => t is < 0 or > 2)
                || sd.Any(v => !(v > 0)) || models.Any(m => m.Weights.Length != keptCount))
            {
                throw new InvalidDataException("inconsistent sizes or values");
            }

            return new SourcePrior(space, names, featureCount, kept, mean, sd, tiers, models, priorMean, priorSd, importance, counts);
        }
        catch (Exception ex) when (ex is EndOfStreamException or IOException or FormatException or ArgumentException or OverflowException)
        {
            throw new InvalidDataException($"truncated or malformed ({ex.Message})", ex);
        }
    }

    private static int Count(BinaryReader r, int max)
    {
        var n = r.ReadInt32();
        return n >= 0 && n <= max ? n : throw new InvalidDataException($"a count of {n}");
    }

    private static void Write(BinaryWriter w, double[] values)
    {
        w.Write(values.Length);
        foreach (var v in values)
        {
            w.Write(v);
        }
    }

    internal static double[] ReadDoubles(BinaryReader r)
    {
        var n = r.ReadInt32();
        var remaining = r.BaseStream.Length - r.BaseStream.Position;
        if (n < 0 || (long)n * sizeof(double) > remaining)
        {
            throw new InvalidDataException($"a count of {n} with {remaining} byte(s) left");
        }

        var values = new double[n];
        for (var i = 0; i < n; i++)
        {
            values[i] = r.ReadDouble();
        }

        return values;
    }

    internal static void WriteDoubles(BinaryWriter w, double[] values) => Write(w, values);
}

/// <summary>
/// A new device fitted from a <see cref="SourcePrior"/> and a few shots: the models
/// <see cref="ProxyAdapters.Best"/> chose (their mean is the prediction), over the prior's rows.
/// </summary>
internal sealed class SourcePriorAdaptation
{
    public SourcePriorAdaptation(SourcePrior prior, IReadOnlyList<LinearFit> models)
    {
        ArgumentNullException.ThrowIfNull(prior);
        ArgumentNullException.ThrowIfNull(models);
        if (models.Count == 0 || models.Any(m => m.Weights.Length != prior.RowLength))
        {
            throw new ArgumentException($"the models must take {prior.RowLength} inputs (the prior's row)", nameof(models));
        }

        Prior = prior;
        Models = models;
    }

    public SourcePrior Prior { get; }

    public IReadOnlyList<LinearFit> Models { get; }

    /// <summary>Predicted latency (ms) of an arch with raw structure features <paramref name="structural"/>.</summary>
    public double Predict(double[] structural) => ProxyAdapters.Average(Models, Prior.Row(structural));

    public double[] PredictAll(IReadOnlyList<double[]> structural)
    {
        ArgumentNullException.ThrowIfNull(structural);
        return [.. structural.Select(Predict)];
    }
}
