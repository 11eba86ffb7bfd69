using LatencyGate.Adaptation.Features;
using LatencyGate.Numerics;
using LatencyGate.Spaces;

namespace LatencyGate.Adaptation;

/// <summary>One device's measurements for training the hardware-generalized predictor.</summary>
internal sealed record DeviceMeasurements(HardwareSpec Hardware, OfaSpace Space, IReadOnlyList<LatencyShot> Shots);

/// <summary>
/// Latency from the arch and the device's spec sheet, trained on several devices. Three stages:
/// (1) a physical model, non-negative weights on analytical terms (compute time, memory time, per-layer
/// roofline, kernel launches, launches per unit of per-core throughput, batch × launches), fitted on
/// relative error so every device and batch size counts alike, over the subset of terms
/// (<see cref="PhysicalScalings"/>) under which the training GPUs agree best on their level;
/// (2) a ridge model of the remaining log-ratio within each device, from per-operator cost shares and
/// their interaction with log batch: the shape the roofline misses (depthwise and SE inefficiency,
/// small-kernel overhead), learnt apart from the devices' levels; (3) a level per batch size, the
/// median over the training GPUs, interpolated in log batch. Zero-shot from a
/// <see cref="HardwareSpec"/>; combine with a strategy for k shots.
/// </summary>
internal sealed class HardwareGeneralizedPredictor
{
    public const int PhysicalTermCount = 6;

    private readonly double[] _physical;
    private readonly double[] _residual;

    private HardwareGeneralizedPredictor(double[] physical, double[] residual, IReadOnlyList<string> trainedOn)
    {
        _physical = physical;
        _residual = residual;
        TrainedOn = trainedOn;
    }

    public IReadOnlyList<string> TrainedOn { get; }

    /// <summary>
    /// The shape stage's weights (per-operator shares, then shares × log batch) followed by the level
    /// curve (<see cref="LevelTermCount"/> terms), for predictor files.
    /// </summary>
    internal IReadOnlyList<double> ResidualWeights => _residual;

    /// <summary>Rebuilds a fitted model from its weights (a predictor file); the lengths must match this version's features.</summary>
    internal static HardwareGeneralizedPredictor FromWeights(double[] physical, double[] residual, IReadOnlyList<string> trainedOn) =>
        new(physical, residual, trainedOn);

    /// <summary>Length of the residual stage's weight vector for <paramref name="space"/>.</summary>
    internal static int ResidualLength(OfaSpace space) => (2 * new StructuredFeatures(space).FeatureNames.Count) + LevelTermCount;

    public IReadOnlyList<double> PhysicalWeights => _physical;

    /// <summary>The predictor for one device (zero-shot).</summary>
    public PointPredictor For(HardwareSpec hardware, OfaSpace space) => new DevicePredictor(this, hardware.Validated(), space);

    /// <summary>The shape stage's ridge penalty, relative to each column's sum of squares (/100).</summary>
    internal const double DefaultPenalty = 0.01;

    /// <summary>
    /// Which analytical terms the physical stage may use (indices into <see cref="PhysicalTerms"/>):
    /// every term, or one bound (memory, compute, per-layer roofline) plus launch terms, with or
    /// without the launch term that scales with the GPU's per-core throughput (batch-1 latency is
    /// mostly the host's launch overhead, which the GPU's clock does not set). How latency scales from
    /// one GPU to another is what zero-shot gets wrong; the scaling is chosen on the training GPUs by
    /// <see cref="LevelDispersion"/>.
    /// </summary>
    internal static readonly (string Name, int[] Terms)[] PhysicalScalings =
    [
        ("all terms", [0, 1, 2, 3, 4, 5]),
        ("memory-bound + launches", [1, 3, 4, 5]),
        ("compute-bound + launches", [0, 3, 4, 5]),
        ("roofline + launches", [2, 3, 4, 5]),
        ("memory-bound + host launches", [1, 3, 5]),
        ("compute-bound + host launches", [0, 3, 5]),
        ("roofline + host launches", [2, 3, 5]),
    ];

    /// <summary>
    /// Fits on every device. With three or more training GPUs the physical stage's scaling is the one
    /// with the least <see cref="LevelDispersion"/>; with fewer, every term.
    /// </summary>
    public static HardwareGeneralizedPredictor Fit(IReadOnlyList<DeviceMeasurements> devices, bool physicalOnly = false, CancellationToken cancellationToken = default)
    {
        var prepared = devices.Select(Prepared.Of).ToArray();
        var all = Enumerable.Range(0, prepared.Length).ToArray();
        var names = devices.Select(d => d.Hardware.Name).Distinct(StringComparer.Ordinal).Count();
        var best = (Scaling: 0, Dispersion: double.NaN);
        if (!physicalOnly && names > 2)
        {
            for (var scaling = 0; scaling < PhysicalScalings.Length; scaling++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var dispersion = LevelDispersion(prepared, all, scaling, devices);
                if (double.IsNaN(best.Dispersion) || dispersion < best.Dispersion)
                {
                    best = (scaling, dispersion);
                }
            }
        }

        cancellationToken.ThrowIfCancellationRequested();
        var result = FitSubset(prepared, all, best.Scaling, physicalOnly, devices);
        result.SelectedScaling = PhysicalScalings[best.Scaling].Name;
        result.LevelSpread = best.Dispersion;
        return result;
    }

    /// <summary>The physical stage's terms (<see cref="PhysicalScalings"/>); not stored in predictor files (the unused terms' weights are zero).</summary>
    public string SelectedScaling { get; private set; } = PhysicalScalings[0].Name;

    /// <summary>The chosen scaling's <see cref="LevelDispersion"/> (NaN when not chosen: fewer than three GPUs, or loaded from a file).</summary>
    public double LevelSpread { get; private set; } = double.NaN;

    /// <summary>
    /// How much the training GPUs disagree on their level under a scaling: per batch size, the median
    /// absolute deviation of the devices' mean log-ratios from their median, summed over batch sizes.
    /// A new GPU gets the median level, so its expected error is this spread. The MAD lets one GPU of
    /// another generation disagree without deciding how every GPU scales; leave-one-GPU-out CV inside
    /// three training GPUs (two left per fold, so their mean) let it decide, and picked compute-bound
    /// scaling for a V100 held out because Titan Xp was among the three (26.9 % median zero-shot MAPE
    /// on HELP against 12.1 % with this criterion).
    /// </summary>
    private static double LevelDispersion(Prepared[] prepared, int[] subset, int scaling, IReadOnlyList<DeviceMeasurements> devices)
    {
        var model = FitSubset(prepared, subset, scaling, physicalOnly: false, devices);
        var p = model._residual.Length - LevelTermCount;
        var shape = model._residual[..p];
        return subset
            .GroupBy(i => devices[i].Hardware.BatchSize)
            .Sum(g =>
            {
                var levels = g.Select(i => prepared[i].MeanLevel(model._physical, shape)).ToArray();
                var median = RobustAffine.Median(levels);
                return RobustAffine.Median(levels.Select(l => Math.Abs(l - median)).ToArray());
            });
    }

    private static HardwareGeneralizedPredictor FitSubset(Prepared[] prepared, int[] subset, int scaling, bool physicalOnly, IReadOnlyList<DeviceMeasurements> devices)
    {
        var terms = PhysicalScalings[scaling].Terms;

        // Stage 1: non-negative physical weights on relative error, over the scaling's terms.
        var physRows = new List<double[]>();
        foreach (var i in subset)
        {
            foreach (var (_, phys, latency) in prepared[i].Rows())
            {
                physRows.Add(terms.Select(t => phys[t] / latency).ToArray());
            }
        }

        var fitted = LinearSolve.NonNegativeRidge(physRows.ToArray(), Enumerable.Repeat(1.0, physRows.Count).ToArray(), new double[terms.Length], Enumerable.Repeat(true, terms.Length).ToArray());
        var physical = new double[PhysicalTermCount];
        for (var t = 0; t < terms.Length; t++)
        {
            physical[terms[t]] = fitted[t];
        }

        var p = prepared[0].FeatureCount;
        var trainedOn = subset.Select(i => devices[i].Hardware.Name + "@" + devices[i].Hardware.BatchSize.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        if (physicalOnly)
        {
            var flat = new double[p + LevelTermCount];
            return new HardwareGeneralizedPredictor(physical, flat, ["roofline only: " + string.Join(", ", trainedOn)]);
        }

        // Stage 2: ridge on ln(measured / physical) within each device (features and targets centred
        // per device), so the shape the training devices share is learnt apart from their levels.
        var gram = new double[p, p];
        var rhs = new double[p];
        foreach (var i in subset)
        {
            prepared[i].AddCentredTo(gram, rhs, physical);
        }

        var a = MathNet.Numerics.LinearAlgebra.Matrix<double>.Build.DenseOfArray(gram);
        for (var j = 0; j < p; j++)
        {
            a[j, j] += (DefaultPenalty * Math.Max(gram[j, j], 1e-9) / 100.0) + 1e-12;
        }

        var shape = a.Cholesky().Solve(MathNet.Numerics.LinearAlgebra.Vector<double>.Build.DenseOfArray(rhs)).ToArray();

        // Stage 3: the level left per device; a new device gets, per batch size, the median over the
        // training devices (robust to one GPU generation unlike the others), interpolated in log batch.
        var levels = subset
            .Select(i => (LogBatch: LogBatch(devices[i].Hardware.BatchSize), Level: prepared[i].MeanLevel(physical, shape)))
            .GroupBy(x => x.LogBatch)
            .Select(g => (LogBatch: g.Key, Level: RobustAffine.Median(g.Select(x => x.Level).ToArray())))
            .OrderBy(x => x.LogBatch)
            .ToArray();
        var residual = new double[p + LevelTermCount];
        shape.CopyTo(residual, 0);
        LevelCurve(levels).CopyTo(residual, p);
        return new HardwareGeneralizedPredictor(physical, residual, trainedOn);
    }

    /// <summary>Level curve terms stored after the shape weights: c0, c1, c2 of c0 + c1·x + c2·x² in x = ln(batch/16), clamped to [x_min, x_max].</summary>
    internal const int LevelTermCount = 5;

    private static double LogBatch(int batch) => Math.Log(batch / 16.0);

    private static double[] LevelCurve((double LogBatch, double Level)[] levels)
    {
        var degree = Math.Min(levels.Length - 1, 2);
        var x = levels.Select(l => Enumerable.Range(0, degree + 1).Select(k => Math.Pow(l.LogBatch, k)).ToArray()).ToArray();
        var c = LinearSolve.Ridge(x, levels.Select(l => l.Level).ToArray(), new double[degree + 1]);
        var result = new double[LevelTermCount];
        c.CopyTo(result, 0);
        result[3] = levels[0].LogBatch;
        result[4] = levels[^1].LogBatch;
        return result;
    }

    private double Level(int batch)
    {
        var p = _residual.Length - LevelTermCount;
        var x = Math.Clamp(LogBatch(batch), _residual[p + 3], _residual[p + 4]);
        return _residual[p] + (_residual[p + 1] * x) + (_residual[p + 2] * x * x);
    }

    /// <summary>A device's rows with their features and the Gram matrix of its residual features, computed once.</summary>
    private sealed class Prepared
    {
        private double[][] _features = [];
        private double[][] _physical = [];
        private double[] _latency = [];
        private double[,] _gram = new double[0, 0];

        public int RowCount => _latency.Length;

        public int FeatureCount => _features[0].Length;

        public static Prepared Of(DeviceMeasurements d)
        {
            var result = new Prepared
            {
                _features = d.Shots.Select(s => ResidualFeatures(s.Arch, d.Space, d.Hardware)).ToArray(),
                _physical = d.Shots.Select(s => PhysicalTerms(AnalyticalCost.Of(s.Arch, d.Space, d.Hardware), d.Hardware)).ToArray(),
                _latency = d.Shots.Select(s => s.LatencyMs).ToArray(),
            };
            var p = result._features[0].Length;
            result._gram = new double[p, p];
            foreach (var f in result._features)
            {
                for (var a = 0; a < p; a++)
                {
                    if (f[a] == 0)
                    {
                        continue;
                    }

                    for (var b = a; b < p; b++)
                    {
                        result._gram[a, b] += f[a] * f[b];
                    }
                }
            }

            for (var a = 0; a < p; a++)
            {
                for (var b = 0; b < a; b++)
                {
                    result._gram[a, b] = result._gram[b, a];
                }
            }

            return result;
        }

        public IEnumerable<(double[] Features, double[] Physical, double Latency)> Rows()
        {
            for (var i = 0; i < _latency.Length; i++)
            {
                yield return (_features[i], _physical[i], _latency[i]);
            }
        }

        public void AddCentredTo(double[,] gram, double[] rhs, double[] physicalWeights)
        {
            var p = rhs.Length;
            var n = _latency.Length;
            var mean = new double[p];
            var targets = new double[n];
            for (var i = 0; i < n; i++)
            {
                targets[i] = Math.Log(_latency[i] / Math.Max(FixedOrder.Dot(_physical[i], physicalWeights), 1e-6));
                for (var a = 0; a < p; a++)
                {
                    mean[a] += _features[i][a] / n;
                }
            }

            var meanTarget = targets.Average();
            for (var a = 0; a < p; a++)
            {
                for (var b = 0; b < p; b++)
                {
                    gram[a, b] += _gram[a, b] - (n * mean[a] * mean[b]);
                }
            }

            for (var i = 0; i < n; i++)
            {
                var t = targets[i] - meanTarget;
                var f = _features[i];
                for (var a = 0; a < p; a++)
                {
                    rhs[a] += (f[a] - mean[a]) * t;
                }
            }
        }

        /// <summary>Mean of ln(measured / (physical · shape)): the device's level.</summary>
        public double MeanLevel(double[] physicalWeights, double[] shape)
        {
            var sum = 0.0;
            for (var i = 0; i < _latency.Length; i++)
            {
                sum += Math.Log(_latency[i] / Math.Max(FixedOrder.Dot(_physical[i], physicalWeights), 1e-6)) - FixedOrder.Dot(_features[i], shape);
            }

            return sum / _latency.Length;
        }
    }

    internal double PredictOne(Arch arch, OfaSpace space, HardwareSpec hw)
    {
        var cost = AnalyticalCost.Of(arch, space, hw);
        var b = Math.Max(FixedOrder.Dot(PhysicalTerms(cost, hw), _physical), 1e-6);
        var f = ResidualFeatures(arch, space, hw);
        return b * Math.Exp(FixedOrder.Dot(f, _residual.AsSpan(0, f.Length)) + Level(hw.BatchSize));
    }

    private static double[] PhysicalTerms(AnalyticalCost c, HardwareSpec hw) =>
    [
        c.ComputeMs,
        c.MemoryMs,
        c.RooflineMs,
        c.Launches * 0.01,

        // Launch and scheduling overhead shrinks with clock/throughput per core: launches / per-core GFLOPS.
        c.Launches * 0.01 * 3.5 / (hw.PeakFp32Gflops / hw.Cores),
        hw.BatchSize * c.Launches * 1e-4,
    ];

    private static double[] ResidualFeatures(Arch arch, OfaSpace space, HardwareSpec hw)
    {
        var structured = new StructuredFeatures(space);
        var sf = new double[structured.FeatureNames.Count];
        structured.Compute(arch, sf);
        var total = sf.Sum();
        var logBatch = LogBatch(hw.BatchSize);
        var result = new double[2 * sf.Length];
        for (var j = 0; j < sf.Length; j++)
        {
            var share = sf[j] / total;
            result[j] = share;
            result[sf.Length + j] = share * logBatch;
        }

        return result;
    }

    private sealed class DevicePredictor(HardwareGeneralizedPredictor model, HardwareSpec hardware, OfaSpace space) : PointPredictor(space)
    {
        public override string Description => $"hardware-generalized ({string.Join(", ", model.TrainedOn)}) for {hardware.Name} at batch {hardware.BatchSize}";

        public override double PredictOne(Arch arch) => model.PredictOne(arch, Space, hardware);
    }
}
