using System.Runtime.InteropServices;
using System.Text.Json;
using LatencyGate.Learning;
using LatencyGate.Learning.WeightFiles;
using Shouldly;
using Xunit;

namespace LatencyGate.Tests.Learning.WeightFiles;

/// <summary>The published checkpoints, compared bit-exactly with the raw float32 copies beside them.</summary>
public sealed class RealCheckpointTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    [ReferenceDataTheory]
    [InlineData("checkpoint_note10_ofa.pt")]
    [InlineData("checkpoint_RTX_2080_Ti_GPU_ofa.pt")]
    [InlineData("checkpoint_finetune_RTX_2080_Ti_GPU_ofa.pt")]
    public void Seed_paper_zip_checkpoints_match_their_float32_copies(string checkpoint)
    {
        using var manifest = JsonDocument.Parse(File.ReadAllText(ReferenceData.PathOf("ofanas-perfest", "predictor_weights", "manifest.json")));
        var model = manifest.RootElement.GetProperty("models").EnumerateObject()
            .Single(m => m.Value.GetProperty("source_checkpoint").GetString()!.EndsWith("/" + checkpoint, StringComparison.Ordinal)).Value;
        var raw = File.ReadAllBytes(ReferenceData.PathOf("ofanas-perfest", "predictor_weights", model.GetProperty("file").GetString()!));
        var shapes = model.GetProperty("shapes").EnumerateArray().Select(s => s.EnumerateArray().Select(d => d.GetInt32()).ToArray()).ToList();

        var file = WeightFileReader.Read(ReferenceData.PathOf("ofanas-perfest", "checkpoints", checkpoint));

        file.Format.ShouldBe(WeightFileFormat.TorchZip);
        file.Tensors.Select(t => t.Shape).ShouldBe(shapes);
        SameBytes(Bytes(file.Tensors), raw, checkpoint);
        file.Tensors[0].Name.ShouldEndWith("0.weight");
    }

    public static TheoryData<string, string> AccuracyPredictors => new()
    {
        { "acc_predictor.pth", "mbv3_w1.2_acc_predictor" },
        { "ofa_resnet50_acc_predictor.pth", "resnet50_acc_predictor" },
    };

    [ReferenceDataTheory]
    [MemberData(nameof(AccuracyPredictors))]
    public void OFA_legacy_accuracy_predictors_match_their_float32_copies(string checkpoint, string converted)
    {
        using var manifest = JsonDocument.Parse(File.ReadAllText(ReferenceData.PathOf("ofa-acc-predictor", converted + ".json")));
        var raw = File.ReadAllBytes(ReferenceData.PathOf("ofa-acc-predictor", converted + ".f32.bin"));
        var expected = manifest.RootElement.GetProperty("tensors").EnumerateArray().ToList();

        var file = WeightFileReader.Read(ReferenceData.PathOf("ofa-acc-predictor", "original", checkpoint));

        file.Format.ShouldBe(WeightFileFormat.TorchLegacy);
        file.Tensors.Select(t => t.Name).ShouldBe(expected.Select(e => e.GetProperty("name").GetString()));
        foreach (var (tensor, entry) in file.Tensors.Zip(expected))
        {
            tensor.Shape.ShouldBe(entry.GetProperty("shape").EnumerateArray().Select(d => d.GetInt32()));
            var offset = entry.GetProperty("offset_floats").GetInt32() * 4;
            SameBytes(Bytes([tensor]), raw[offset..(offset + (tensor.Values.Length * 4))], tensor.Name);
        }
    }

    [ReferenceDataFact]
    public void A_real_checkpoint_converted_to_a_predictor_file_reads_back_bit_exactly()
    {
        var source = WeightFileReader.Read(ReferenceData.PathOf("ofanas-perfest", "checkpoints", "checkpoint_note10_ofa.pt"));
        var metadata = new PredictorFileMetadata("ofa-mbv3-w12", "seed-paper-128", "mlp", "none", "none", "ms", 1, "Note10", null,
            new Dictionary<string, double>(), new Dictionary<string, string>());
        var path = _temp.File("note10.safetensors");

        PredictorFile.Write(path, metadata, source.Tensors);
        var (readMetadata, read) = PredictorFile.Read(path);
        var again = WeightFileReader.Read(path);

        readMetadata.ShouldBeEquivalentTo(metadata with { TrainingMetrics = readMetadata.TrainingMetrics, Extra = readMetadata.Extra });
        SameBytes(Bytes(read.Tensors), Bytes(source.Tensors), "round trip");
        read.Tensors.Select(t => t.Name).ShouldBe(source.Tensors.Select(t => t.Name));
        again.Metadata["format"].ShouldBe("latency-gate/predictor");
    }

    // Spans compare 1.5 MB in microseconds; the message still points at the first differing byte.
    private static void SameBytes(byte[] actual, byte[] expected, string what)
    {
        actual.Length.ShouldBe(expected.Length, what);
        var first = actual.AsSpan().CommonPrefixLength(expected);
        first.ShouldBe(expected.Length, $"{what}: first differing byte");
    }

    private static byte[] Bytes(IEnumerable<NamedTensor> tensors) =>
        [.. tensors.SelectMany(t => MemoryMarshal.AsBytes(t.Values.AsSpan()).ToArray())];
}
