using LatencyGate.Adaptation.Features;
using LatencyGate.Adaptation.Numerics;
using LatencyGate.Spaces;

namespace LatencyGate.Adaptation;

/// <summary>One device's measurements for training the hardware-generalized predictor.</summary>
internal sealed record DeviceMeasurements(HardwareSpec Hardware, OfaSpace Space, IReadOnlyList<LatencyShot> Shots);

/// <summary>
/// Latency from the arch and the device's spec sheet, trained on several devices. Two stages:
/// (1) a physical model, non-negative weights on analytical terms (compute time, memory time, per-layer
/// roofline, kernel launches, launches per unit of compute), fitted on relative error so every device
/// and batch size counts alike; (2) a ridge model of the remaining log-ratio from per-operator features
/// (and their interaction with batch size and the normalized hardware parameters), which carries what
/// the roofline misses (depthwise and SE inefficiency, small-kernel overhead) from the training devices
/// to a new one. Zero-shot from a <see cref="HardwareSpec"/>; combine with a strategy for k shots.
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

    /// <summary>Both stages' weights, for predictor files.</summary>
    internal IReadOnlyList<double> ResidualWeights => _residual;

    /// <summary>Rebuilds a fitted model from its weights (a predictor file); the lengths must match this version's features.</summary>
    internal static HardwareGeneralizedPredictor FromWeights(double[] physical, double[] residual, IReadOnlyList<string> trainedOn) =>
        new(physical, residual, trainedOn);

    /// <summary>Length of the residual stage's weight vector for <paramref name="space"/>.</summary>
    internal static int ResidualLength(OfaSpace space) => (2 * new StructuredFeatures(space).FeatureNames.Count) + HardwareSpec.NormalizedNames.Length + 1;

    public IReadOnlyList<double> PhysicalWeights => _physical;

    /// <summary>The predictor for one device (zero-shot).</summary>
    public PointPredictor For(HardwareSpec hardware, OfaSpace space) => new DevicePredictor(this, hardware.Validated(), space);

    /// <summary>
    /// The residual stage's default penalty (relative to each column's sum of squares, /100) with the
    /// hardware parameters in. Device-level CV over two or three training GPUs proved a worse guide
    /// than this fixed light penalty on the HELP leave-one-GPU-out benchmark (30.9 % vs 20.5 % median
    /// zero-shot MAPE), so it is opt-in.
    /// </summary>
    internal const double DefaultPenalty = 0.01;

    /// <summary>Penalties of the residual stage tried by device-level cross-validation.</summary>
    internal static readonly double[] ResidualPenalties = [0.01, 0.1, 1, 10, 100];

    /// <summary>
    /// Fits on every device. With <paramref name="crossValidate"/>, the residual stage's penalty and
    /// whether it may use the normalized hardware parameters are chosen by leave-one-device-out
    /// cross-validation over the training devices (grouped by name, so all batch sizes of a GPU are
    /// held out together); otherwise <see cref="DefaultPenalty"/> with the hardware parameters.
    /// </summary>
    public static HardwareGeneralizedPredictor Fit(IReadOnlyList<DeviceMeasurements> devices, bool physicalOnly = false, bool crossValidate = false)
    {
        var prepared = devices.Select(Prepared.Of).ToArray();
        var all = Enumerable.Range(0, prepared.Length).ToArray();
        var names = devices.Select(d => d.Hardware.Name).Distinct(StringComparer.Ordinal).ToArray();
        var best = (Penalty: DefaultPenalty, UseHardware: true, Error: double.NaN);
        if (!physicalOnly && crossValidate && names.Length > 1)
        {
            foreach (var useHardware in new[] { false, true })
            {
                foreach (var penalty in ResidualPenalties)
                {
                    var error = 0.0;
                    var count = 0;
                    foreach (var name in names)
                    {
                        var train = all.Where(i => devices[i].Hardware.Name != name).ToArray();
                        var model = FitSubset(prepared, train, penalty, useHardware, physicalOnly: false, devices);
                        foreach (var i in all.Where(i => devices[i].Hardware.Name == name))
                        {
                            foreach (var (features, phys, latency) in prepared[i].Rows())
                            {
                                error += Math.Abs(Math.Log(model.PredictPrepared(features, phys) / latency));
                                count++;
                            }
                        }
                    }

                    if (double.IsNaN(best.Error) || error / count < best.Error)
                    {
                        best = (penalty, useHardware, error / count);
                    }
                }
            }
        }

        var result = FitSubset(prepared, all, best.Penalty, best.UseHardware, physicalOnly, devices);
        result.SelectedPenalty = best.Penalty;
        result.UsesHardwareResidual = best.UseHardware;
        result.DeviceCvLogError = best.Error;
        return result;
    }

    /// <summary>Residual-stage penalty chosen by device-level CV.</summary>
    public double SelectedPenalty { get; private set; }

    /// <summary>Whether the residual stage uses the normalized hardware parameters (chosen by device-level CV).</summary>
    public bool UsesHardwareResidual { get; private set; }

    /// <summary>Mean |ln(predicted / measured)| on held-out devices at the chosen settings (NaN if not cross-validated).</summary>
    public double DeviceCvLogError { get; private set; } = double.NaN;

    private static HardwareGeneralizedPredictor FitSubset(Prepared[] prepared, int[] subset, double penaltyScale, bool useHardware, bool physicalOnly, IReadOnlyList<DeviceMeasurements> devices)
    {
        // Stage 1: non-negative physical weights on relative error.
        var physRows = new List<double[]>();
        foreach (var i in subset)
        {
            foreach (var (_, phys, latency) in prepared[i].Rows())
            {
                physRows.Add(phys.Select(v => v / latency).ToArray());
            }
        }

        var physical = LinearSolve.NonNegativeRidge(physRows.ToArray(), Enumerable.Repeat(1.0, physRows.Count).ToArray(), new double[PhysicalTermCount], Enumerable.Repeat(true, PhysicalTermCount).ToArray());
        var p = prepared[0].FeatureCount;
        var trainedOn = subset.Select(i => devices[i].Hardware.Name + "@" + devices[i].Hardware.BatchSize.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        if (physicalOnly)
        {
            return new HardwareGeneralizedPredictor(physical, new double[p], ["roofline only: " + string.Join(", ", trainedOn)]);
        }

        // Stage 2: ridge on ln(measured / physical) from the cached per-device Gram matrices.
        var gram = new double[p, p];
        var rhs = new double[p];
        var sumSquares = new double[p];
        var n = 0;
        foreach (var i in subset)
        {
            prepared[i].AddTo(gram, rhs, physical);
            n += prepared[i].RowCount;
        }

        var hwStart = 2 * StructuredFeatures.Count;
        var a = MathNet.Numerics.LinearAlgebra.Matrix<double>.Build.DenseOfArray(gram);
        for (var j = 0; j < p - 1; j++)
        {
            var isHardware = j >= hwStart && j < hwStart + HardwareSpec.NormalizedNames.Length;
            var scale = Math.Max(gram[j, j], 1e-9) / n;
            a[j, j] += isHardware && !useHardware ? 1e12 * Math.Max(gram[j, j], 1) : penaltyScale * scale * n / 100.0;
        }

        a[p - 1, p - 1] += 1e-9 * Math.Max(gram[p - 1, p - 1], 1);
        var residual = a.Cholesky().Solve(MathNet.Numerics.LinearAlgebra.Vector<double>.Build.DenseOfArray(rhs)).ToArray();
        return new HardwareGeneralizedPredictor(physical, residual, trainedOn);
    }

    private double PredictPrepared(double[] features, double[] phys) =>
        Math.Max(LinearSolve.Dot(phys, _physical), 1e-6) * Math.Exp(LinearSolve.Dot(features, _residual));

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

        public void AddTo(double[,] gram, double[] rhs, double[] physicalWeights)
        {
            var p = rhs.Length;
            for (var a = 0; a < p; a++)
            {
                for (var b = 0; b < p; b++)
                {
                    gram[a, b] += _gram[a, b];
                }
            }

            for (var i = 0; i < _latency.Length; i++)
            {
                var t = Math.Log(_latency[i] / Math.Max(LinearSolve.Dot(_physical[i], physicalWeights), 1e-6));
                var f = _features[i];
                for (var a = 0; a < p; a++)
                {
                    rhs[a] += f[a] * t;
                }
            }
        }
    }

    internal double PredictOne(Arch arch, OfaSpace space, HardwareSpec hw)
    {
        var cost = AnalyticalCost.Of(arch, space, hw);
        var b = Math.Max(LinearSolve.Dot(PhysicalTerms(cost, hw), _physical), 1e-6);
        var f = ResidualFeatures(arch, space, hw);
        return b * Math.Exp(LinearSolve.Dot(f, _residual));
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
        var hwn = hw.Normalized();
        var logBatch = hwn[4];
        var result = new double[(2 * sf.Length) + hwn.Length + 1];
        for (var j = 0; j < sf.Length; j++)
        {
            var share = sf[j] / total;
            result[j] = share;
            result[sf.Length + j] = share * logBatch;
        }

        hwn.CopyTo(result, 2 * sf.Length);
        result[^1] = 1;
        return result;
    }

    private sealed class DevicePredictor(HardwareGeneralizedPredictor model, HardwareSpec hardware, OfaSpace space) : PointPredictor(space)
    {
        public override string Description => $"hardware-generalized ({string.Join(", ", model.TrainedOn)}) for {hardware.Name} at batch {hardware.BatchSize}";

        public override double PredictOne(Arch arch) => model.PredictOne(arch, Space, hardware);
    }
}
