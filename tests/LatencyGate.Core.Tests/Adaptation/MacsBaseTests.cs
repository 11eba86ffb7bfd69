using System.Globalization;
using LatencyGate.Adaptation;
using LatencyGate.Diagnostics;
using LatencyGate.Gating;
using LatencyGate.Learning.WeightFiles;
using LatencyGate.Predictors;
using LatencyGate.Spaces;
using LatencyGate.Workflows;
using Shouldly;
using Xunit;

namespace LatencyGate.Tests.Adaptation;

/// <summary>
/// The analytic base <c>builtin:macs</c>: MACs × 1e-8 ms, adapted by auto with adaproxy kept (affine
/// there would only be the MACs ranking), stored in an adapted file by name, and usable as a manifest
/// finetune base.
/// </summary>
public sealed class MacsBaseTests : IDisposable
{
    private static readonly Arch[] Archs = AdaptationTestData.RandomArchs(60, 17);
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("lg-macs-base-");

    public void Dispose() => _dir.Delete(recursive: true);

    /// <summary>A device where depthwise-heavy archs (kernel 7) cost more than their MACs say, plus a fixed overhead.</summary>
    private static (Arch, double)[] Device() =>
        [.. Archs.Select(a => (a, (2.0 * OfaMobileNetV3.Macs(a, OfaSpace.W12) * 1e-8) + 1.5 + (0.05 * a.KernelSizes.ToArray().Count(k => k == 7))))];

    [Fact]
    public void Builtin_macs_predicts_macs_times_1e_8_ms()
    {
        var macs = PredictorLoader.Load(OfaSpace.W12, null, MacsBasePredictor.Reference).ShouldBeOfType<MacsBasePredictor>();
        macs.PredictAll([Archs[0]])[0].ShouldBe(OfaMobileNetV3.Macs(Archs[0], OfaSpace.W12) * 1e-8);
    }

    [Fact]
    public void Auto_keeps_adaproxy_on_the_macs_base_and_the_adapted_file_reads_back_bit_exactly()
    {
        var bases = new ILatencyPredictor[] { new MacsBasePredictor(OfaSpace.W12) };
        var outcome = AdaptationRun.Run(bases, Device(), "auto", 20, 3);
        outcome.Strategy.ShouldBe("adaproxy", string.Join("; ", outcome.Report));

        var path = Path.Combine(_dir.FullName, "macs.safetensors");
        AdaptedPredictorFile.Save(path, outcome.WithIntervals, bases, outcome.Strategy, outcome.Report, new LatencyPredictorFile.Provenance("cpu", 1, null, new Dictionary<string, double>()));
        var loaded = PredictorLoader.Load(OfaSpace.W12, null, path);
        loaded.PredictAll(Archs).ShouldBe(outcome.WithIntervals.PredictAll(Archs));
        PredictorFile.Read(path).Metadata.Extra["base0.model_kind"].ShouldBe("macs");
    }

    [Fact]
    public void Adaproxy_is_kept_even_where_affine_cross_validates_as_well()
    {
        // Latency exactly affine in MACs: affine is perfect, and auto still says why it kept adaproxy.
        var shots = Archs.Take(20).Select(a => new LatencyShot(a, (3.0 * OfaMobileNetV3.Macs(a, OfaSpace.W12) * 1e-8) + 1)).ToArray();
        var choice = new AutoStrategy().Choose([new MacsBasePredictor(OfaSpace.W12)], shots, 1);
        choice.Strategy.ShouldBe("adaproxy");
        choice.Reason.ShouldContain("builtin:macs");
        var probe = Archs[^1];
        choice.Predictor.PredictAll([probe])[0].ShouldBe((3.0 * OfaMobileNetV3.Macs(probe, OfaSpace.W12) * 1e-8) + 1, 0.05);
    }

    [Fact]
    public void Adaproxy_on_the_macs_base_learns_a_cost_of_the_weights_from_20_shots()
    {
        // A CPU at batch 1: compute plus streaming the weights from memory, plus a fixed overhead.
        static double Cpu(Arch a) => (1.5 * OfaMobileNetV3.Macs(a, OfaSpace.W12) * 1e-8) + (4.0 * OfaMobileNetV3.Params(a, OfaSpace.W12) * 1e-7) + 2;
        var shots = Archs.Take(20).Select(a => new LatencyShot(a, Cpu(a))).ToArray();
        var adapted = new AdaProxyStrategy().Adapt(new MacsBasePredictor(OfaSpace.W12), shots, 1);
        var affine = new AffineStrategy().Adapt(new MacsBasePredictor(OfaSpace.W12), shots, 1);
        var probe = Archs.Skip(20).ToArray();
        var measured = probe.Select(Cpu).ToArray();
        double Mape(ILatencyPredictor p) => p.PredictAll(probe).Zip(measured, (x, y) => Math.Abs(x - y) / y).Average();
        Mape(adapted).ShouldBeLessThan(0.01);
        Mape(affine).ShouldBeGreaterThan(2 * Mape(adapted), "MACs alone cannot see the weights");
    }

    [Fact]
    public void A_manifest_finetune_on_builtin_macs_gates_with_the_adapted_base()
    {
        var csv = Path.Combine(_dir.FullName, "m.csv");
        File.WriteAllLines(csv, ["arch,latency_ms", .. Device().Select(d => $"{d.Item1.CanonicalKey},{d.Item2.ToString("R", CultureInfo.InvariantCulture)}")]);
        File.WriteAllText(Path.Combine(_dir.FullName, "arch.json"), ArchJson.Write(Archs[5]));
        var manifest = Path.Combine(_dir.FullName, "latency-gate.yaml");
        File.WriteAllText(manifest, string.Join('\n',
            "version: 1",
            "space: ofa-mbv3-w1.2",
            "accuracy: macs",
            "model: {arch: arch.json}",
            "devices:",
            "  - name: cpu",
            "    budget_ms: 1000",
            "    predictor:",
            "      finetune: {base: builtin:macs, measurements: m.csv, shots: 20}",
            string.Empty));
        var outcome = GateRunner.Check(new CheckRequest(manifest) { WriteReports = false });
        outcome.ExitCode.ShouldBe(ExitCode.Success, string.Join('\n', outcome.Diagnostics));
        outcome.Result!.Devices.ShouldHaveSingleItem().PredictorDescription.ShouldContain("builtin:macs");
    }
}
