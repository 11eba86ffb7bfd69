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

    public IReadOnlyList<double> PhysicalWeights => _physical;

    /// <summary>The predictor for one device (zero-shot).</summary>
    public PointPredictor For(HardwareSpec hardware, OfaSpace space) => new DevicePredictor(this, hardware.Validated(), space);

    public static HardwareGeneralizedPredictor Fit(IReadOnlyList<DeviceMeasurements> devices, double residualPenalty = 1.0, bool physicalOnly = false)
    {
        var rows = new List<double[]>();
        var targets = new List<double>();
        var owners = new List<(HardwareSpec Hw, OfaSpace Space, Arch Arch)>();
        foreach (var d in devices)
        {
            foreach (var s in d.Shots)
            {
                var cost = AnalyticalCost.Of(s.Arch, d.Space, d.Hardware);
                var phys = PhysicalTerms(cost, d.Hardware);
                var inv = 1.0 / s.LatencyMs;
                rows.Add(phys.Select(v => v * inv).ToArray());
                targets.Add(1.0);
                owners.Add((d.Hardware, d.Space, s.Arch));
            }
        }

        var x = rows.ToArray();
        var y = targets.ToArray();
        var nonNegative = Enumerable.Repeat(true, PhysicalTermCount).ToArray();
        var physical = LinearSolve.NonNegativeRidge(x, y, new double[PhysicalTermCount], nonNegative);

        // Stage 2 on log(measured / physical).
        var residualRows = new double[owners.Count][];
        var residualTargets = new double[owners.Count];
        var index = 0;
        foreach (var d in devices)
        {
            foreach (var s in d.Shots)
            {
                var o = owners[index];
                var basePrediction = Math.Max(LinearSolve.Dot(PhysicalTerms(AnalyticalCost.Of(o.Arch, o.Space, o.Hw), o.Hw), physical), 1e-6);
                residualRows[index] = ResidualFeatures(o.Arch, o.Space, o.Hw);
                residualTargets[index] = Math.Log(s.LatencyMs / basePrediction);
                index++;
            }
        }

        var p = residualRows[0].Length;
        if (physicalOnly)
        {
            return new HardwareGeneralizedPredictor(physical, new double[p], ["roofline only: " + string.Join(", ", devices.Select(d => d.Hardware.Name))]);
        }

        var penalty = LinearLatencyModel.ScaledPenalty(residualRows, residualPenalty / residualRows.Length, p - 1);
        var residual = LinearSolve.Ridge(residualRows, residualTargets, penalty);
        return new HardwareGeneralizedPredictor(physical, residual, devices.Select(d => d.Hardware.Name + "@" + d.Hardware.BatchSize.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray());
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
