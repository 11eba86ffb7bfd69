using LatencyGate.Predictors;
using LatencyGate.Spaces;
using Shouldly;
using Xunit;

namespace LatencyGate.Tests.Predictors;

/// <summary>The goldens through the real published files (PyTorch zip and legacy pickle).</summary>
public sealed class CheckpointGoldenTests
{
    [ReferenceDataTheory]
    [InlineData("checkpoint_note10_ofa.pt", 40.0369)]
    [InlineData("checkpoint_RTX_2080_Ti_GPU_ofa.pt", 20.7245)]
    [InlineData("checkpoint_finetune_RTX_2080_Ti_GPU_ofa.pt", 22.0623)]
    public void Seed_paper_checkpoint_predicts_the_first_csv_row(string file, double golden)
    {
        var predictor = LatencyPredictorFile.Load(ReferenceData.PathOf("ofanas-perfest", "checkpoints", file), OfaSpace.W10);
        var line = File.ReadLines(ReferenceData.PathOf("ofanas-perfest", "datasets", "Note10_LookupTable", "note10_lookuptable_ofa.csv")).Skip(1).First();
        var arch = ArchJson.Parse(line[1..line.LastIndexOf('"')], OfaSpace.W10);
        predictor.Predict(arch).ShouldBe(golden, 1e-4);
    }

    [ReferenceDataFact]
    public void Ofa_acc_predictor_pth_gives_the_forty_golden_accuracies()
    {
        AccuracyPredictorTests.ShouldReproduceGoldenAccuracies(
            AccuracyPredictorFile.Load(ReferenceData.PathOf("ofa-acc-predictor", "original", "acc_predictor.pth")));
    }

    [ReferenceDataFact]
    public void The_resnet_predictor_is_refused_with_a_coded_error()
    {
        var ex = Should.Throw<LatencyGate.Diagnostics.LatencyGateException>(() => AccuracyPredictorFile.Load(ReferenceData.PathOf("ofa-acc-predictor", "original", "ofa_resnet50_acc_predictor.pth")));
        ex.Diagnostics.Single().Code.ShouldBe("LG0153");
    }
}
