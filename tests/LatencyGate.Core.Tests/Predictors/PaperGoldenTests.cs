using System.Text.Json;
using LatencyGate.Learning;
using LatencyGate.Predictors;
using LatencyGate.Spaces;
using Shouldly;
using Xunit;

namespace LatencyGate.Tests.Predictors;

/// <summary>The seed paper's trained MLPs (raw float32 export) reproduce its golden predictions.</summary>
public sealed class PaperGoldenTests
{
    [ReferenceDataTheory]
    [InlineData("note10_ofa")]
    [InlineData("rtx2080ti_ofa")]
    [InlineData("teslap40_ofa")]
    [InlineData("finetune_note10_to_rtx2080ti_ofa")]
    [InlineData("finetune_note10_to_teslap40_ofa")]
    public void Raw_weights_reproduce_the_golden_prediction(string model)
    {
        var (predictor, golden, arch) = Load(model);
        predictor.Predict(arch).ShouldBe(golden, 1e-4);
    }

    [ReferenceDataFact]
    public void Golden_arch_is_the_first_row_of_the_csv()
    {
        var (_, _, arch) = Load("note10_ofa");
        var line = File.ReadLines(ReferenceData.PathOf("ofanas-perfest", "datasets", "RTX_2080_Ti_GPU", "RTX_2080_Ti_GPU_ofa.csv")).Skip(1).First();
        var literal = line[1..line.LastIndexOf('"')];
        ArchJson.Parse(literal, OfaSpace.W10).ShouldBe(arch);
    }

    internal static (LearnedLatencyPredictor Predictor, double Golden, Arch Arch) Load(string model)
    {
        using var manifest = JsonDocument.Parse(File.ReadAllText(ReferenceData.PathOf("ofanas-perfest", "predictor_weights", "manifest.json")));
        var entry = manifest.RootElement.GetProperty("models").GetProperty(model);
        var shapes = entry.GetProperty("shapes").EnumerateArray().Select(s => s.EnumerateArray().Select(v => v.GetInt32()).ToArray()).ToArray();
        var layout = shapes.Select((s, i) => ($"{i / 2 * 2}.{(i % 2 == 0 ? "weight" : "bias")}", s)).ToArray();
        var tensors = RawWeightFile.Read(ReferenceData.PathOf("ofanas-perfest", "predictor_weights", entry.GetProperty("file").GetString()!), layout);
        var network = Mlp.FromTensors(tensors, Activation.Relu);
        var golden = entry.GetProperty("golden");
        var arch = ArchJson.Parse(golden.GetProperty("arch").GetRawText(), OfaSpace.W10);
        var predictor = new LearnedLatencyPredictor(OfaSpace.W10, LatencyModelKind.Mlp, network, TargetScaler.Identity, null);
        return (predictor, golden.GetProperty("predicted_ms_with_relu_before_head").GetDouble(), arch);
    }
}
