using System.Globalization;
using System.Text.Json;
using LatencyGate.Adaptation;
using LatencyGate.Measurements;
using LatencyGate.Predictors;
using LatencyGate.Spaces;
using Shouldly;
using Xunit;

namespace LatencyGate.Tests;

/// <summary>
/// <c>fit --base CHECKPOINT --strategy head|adaproxy|full --out FILE</c> writes the adaptation that was chosen,
/// and <c>predict</c>, <c>evaluate</c> and the manifest's <c>finetune</c> source give exactly what the
/// in-memory adaptation does: the seed paper's Note10 checkpoint adapted to RTX 2080 Ti rows.
/// </summary>
public sealed class AdaptedPredictorFileCommandTests : IDisposable
{
    private const string Column = "lat_rtx2080ti_gpu_bs64_ms";
    private readonly TempFolder _dir = new();

    public void Dispose() => _dir.Dispose();

    [ReferenceDataTheory]
    [InlineData("head")]
    [InlineData("adaproxy")]
    [InlineData("full")]
    public void Fit_writes_the_chosen_adaptation_and_predict_and_evaluate_reproduce_it_bit_exactly(string strategy)
    {
        var (csv, checkpoint) = Inputs();
        var model = _dir.File(strategy + ".safetensors");
        var fit = CliRunner.Run("fit", "--space", "ofa-mbv3-w1.0", "--data", csv, "--latency-column", Column, "--base", checkpoint, "--strategy", strategy, "--shots", "20", "--out", model);
        fit.ExitCode.ShouldBe(0, fit.Stderr);
        fit.Stdout.ShouldNotContain("note:");
        fit.Stdout.ShouldNotContain("affine rescale");

        var (expected, measurements) = InMemory(csv, checkpoint, strategy);
        PredictShouldReproduce(model, measurements.Items[3].Arch, expected);

        var evaluate = CliRunner.Run("evaluate", "--predictor", model, "--data", csv, "--latency-column", Column, "--json");
        evaluate.ExitCode.ShouldBe(0, evaluate.Stderr);
        var metrics = LatencyMetrics.Compute(expected.PredictAll(measurements.Items.Select(m => m.Arch).ToArray()), measurements.Items.Select(m => m.LatencyMs).ToArray());
        using (var json = JsonDocument.Parse(evaluate.Stdout))
        {
            json.RootElement.GetProperty("predictor").GetString().ShouldBe(expected.Description);
            json.RootElement.GetProperty("mae_ms").GetDouble().ShouldBe(metrics.MaeMs);
            json.RootElement.GetProperty("spearman").GetDouble().ShouldBe(metrics.Spearman);
        }

        expected.Description.ShouldStartWith(strategy + ":");
    }

    [ReferenceDataFact]
    public void Full_fine_tunes_a_learned_predictor_file_and_the_adapted_file_reproduces_it()
    {
        // A small additive+mlp fitted by the CLI on P40 rows is the base; RTX 2080 Ti rows are the target.
        var source = _dir.File("p40.csv");
        File.WriteAllLines(source, File.ReadLines(ReferenceData.PathOf("ofanas-perfest", "datasets", "Tesla_P40_GPU", "Tesla_P40_GPU_ofa.csv")).Take(601));
        var baseFile = _dir.File("p40.safetensors");
        var fitBase = CliRunner.Run("fit", "--space", "ofa-mbv3-w1.0", "--data", source, "--latency-column", "latency", "--out", baseFile, "--model", "additive+mlp", "--epochs", "5", "--device", "Tesla P40");
        fitBase.ExitCode.ShouldBe(0, fitBase.Stderr);

        var (csv, _) = Inputs();
        var model = _dir.File("full.safetensors");
        var fit = CliRunner.Run("fit", "--space", "ofa-mbv3-w1.0", "--data", csv, "--latency-column", Column, "--base", baseFile, "--strategy", "full", "--shots", "40", "--out", model);
        fit.ExitCode.ShouldBe(0, fit.Stderr);
        fit.Stdout.ShouldContain("full: [additive per-layer model + residual MLP");

        var measurements = MeasurementsCsv.Read(csv, OfaSpace.W10, Column);
        var base0 = LatencyPredictorFile.Load(baseFile, OfaSpace.W10);
        var expected = AdaptationRun.Run([base0], measurements.Items.Select(m => (m.Arch, m.LatencyMs)).ToArray(), "full", 40, 1).WithIntervals;
        PredictShouldReproduce(model, measurements.Items[7].Arch, expected);
    }

    [ReferenceDataFact]
    public void Auto_over_two_checkpoints_stores_the_library_ensemble_and_predict_reproduces_it()
    {
        // Note10 and RTX 2080 Ti checkpoints as a library, Tesla P40 rows as the target: with 10 shots
        // auto's default with several bases is the ensemble, and the file must embed both bases.
        var (csv, note10) = Inputs();
        var rtx = ReferenceData.PathOf("ofanas-perfest", "checkpoints", "checkpoint_RTX_2080_Ti_GPU_ofa.pt");
        const string p40 = "lat_teslap40_gpu_bs64_ms";
        var model = _dir.File("library.safetensors");
        var fit = CliRunner.Run("fit", "--space", "ofa-mbv3-w1.0", "--data", csv, "--latency-column", p40, "--base", note10, "--base", rtx, "--strategy", "auto", "--shots", "10", "--out", model);
        fit.ExitCode.ShouldBe(0, fit.Stderr);
        fit.Stdout.ShouldContain("auto chose adaproxy-ensemble over all 2 bases");

        // What the file decodes to, not a second run of the adaptation (the strategies' own tests pin
        // the in-memory outcome, and the tests above show a stored adaptation equals it).
        var measurements = MeasurementsCsv.Read(csv, OfaSpace.W10, p40);
        var expected = PredictorLoader.Load(OfaSpace.W10, null, model);
        expected.Description.ShouldStartWith(LibraryEnsemble.StrategyName);
        foreach (var checkpoint in new[] { note10, rtx })
        {
            expected.Description.ShouldContain("[" + LatencyPredictorFile.Load(checkpoint, OfaSpace.W10).Description, customMessage: "the file embeds every base of the ensemble");
        }

        PredictShouldReproduce(model, measurements.Items[11].Arch, expected);
    }

    [ReferenceDataFact]
    public void The_manifest_finetune_source_runs_head_on_the_checkpoint()
    {
        var (csv, checkpoint) = Inputs();
        var (expected, measurements) = InMemory(csv, checkpoint, "head", seed: 0); // the gate's build seed
        var arch = measurements.Items[5].Arch;
        File.WriteAllText(_dir.File("model.arch.json"), ArchJson(arch));
        File.WriteAllText(_dir.File("latency-gate.yaml"), $$"""
            version: 1
            space: ofa-mbv3-w1.0
            model:
              arch: model.arch.json
            devices:
              - name: rtx
                budget_ms: 1000
                confidence: 0.9
                predictor:
                  finetune: {base: '{{checkpoint}}', measurements: rtx.csv, latency_column: {{Column}}, strategy: head, shots: 20}
            """);
        var (code, _, stderr) = CliRunner.Run("check", "--manifest", _dir.File("latency-gate.yaml"), "--cache-dir", _dir.File("cache"), "--report-dir", _dir.File("reports"));
        code.ShouldBe(0, stderr);
        using var json = JsonDocument.Parse(File.ReadAllText(_dir.File(Path.Combine("reports", "latency-gate.json"))));
        var device = json.RootElement.GetProperty("devices")[0];
        device.GetProperty("predictor").GetString()!.ShouldStartWith("head: [MLP 128-400-400-400-1");
        device.GetProperty("latency_ms").GetDouble().ShouldBe(expected.PredictAll([arch])[0], 1e-4, "the report rounds to 4 decimals");
    }

    private (string Csv, string Checkpoint) Inputs()
    {
        var csv = _dir.File("rtx.csv");
        File.WriteAllLines(csv, File.ReadLines(ReferenceData.PathOf("ofanas-perfest", "flat", "ofa_mbv3_paired_3devices.csv")).Take(201));
        return (csv, ReferenceData.PathOf("ofanas-perfest", "checkpoints", "checkpoint_note10_ofa.pt"));
    }

    /// <summary>What <c>fit</c> computes (default seed 1), without the file in between.</summary>
    private static (ILatencyPredictor Predictor, MeasurementSet Measurements) InMemory(string csv, string checkpoint, string strategy, ulong seed = 1)
    {
        var measurements = MeasurementsCsv.Read(csv, OfaSpace.W10, Column);
        var base0 = LatencyPredictorFile.Load(checkpoint, OfaSpace.W10);
        var outcome = AdaptationRun.Run([base0], measurements.Items.Select(m => (m.Arch, m.LatencyMs)).ToArray(), strategy, 20, seed);
        return (outcome.WithIntervals, measurements);
    }

    /// <summary><c>predict --json</c> on the stored file gives exactly the in-memory prediction and 95 % interval.</summary>
    private static void PredictShouldReproduce(string model, Arch arch, ILatencyPredictor expected)
    {
        var predict = CliRunner.Run("predict", "--space", "ofa-mbv3-w1.0", "--predictor", model, "--arch-json", ArchJson(arch), "--json");
        predict.ExitCode.ShouldBe(0, predict.Stderr);
        var estimate = new LatencyEstimate[1];
        expected.PredictWithInterval([arch], 0.95, estimate);
        using var json = JsonDocument.Parse(predict.Stdout);
        json.RootElement.GetProperty("latency_ms").GetDouble().ShouldBe(estimate[0].Ms);
        json.RootElement.GetProperty("lower_ms").GetDouble().ShouldBe(estimate[0].LowerMs);
        json.RootElement.GetProperty("upper_ms").GetDouble().ShouldBe(estimate[0].UpperMs);
    }

    private static string ArchJson(Arch arch) => string.Create(
        CultureInfo.InvariantCulture,
        $$"""{"ks":[{{string.Join(",", arch.KernelSizes.ToArray())}}],"e":[{{string.Join(",", arch.ExpandRatios.ToArray())}}],"d":[{{string.Join(",", arch.Depths.ToArray())}}],"r":[{{arch.Resolution}}]}""");
}
