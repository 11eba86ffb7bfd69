using LatencyGate.Diagnostics;
using LatencyGate.Learning;
using LatencyGate.Learning.WeightFiles;
using Shouldly;
using Xunit;

namespace LatencyGate.Tests.Learning.WeightFiles;

public sealed class PredictorFileTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    private static readonly PredictorFileMetadata Metadata = new(
        Space: "ofa-mbv3-w12",
        Encoding: "seed-paper-128",
        ModelKind: "mlp",
        InputNormalization: "standard",
        TargetNormalization: "log",
        Unit: "ms",
        BatchSize: 64,
        DeviceName: "RTX 2080 Ti",
        TrainingDataSha256: "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
        TrainingMetrics: new Dictionary<string, double> { ["test_mae_ms"] = 0.1 + 0.2, ["spearman"] = 0.9987654321012345, ["tiny"] = 5e-324 },
        Extra: new Dictionary<string, string> { ["hidden"] = "400,400,400", ["activation"] = "relu" });

    private static readonly NamedTensor[] Tensors = [new("0.weight", [2, 2], [1, 2, 3, 4]), new("0.bias", [2], [0.5f, -0.5f])];

    [Fact]
    public void Metadata_and_tensors_round_trip_exactly()
    {
        var path = _temp.File("p.safetensors");
        PredictorFile.Write(path, Metadata, Tensors);

        var (metadata, file) = PredictorFile.Read(path);

        metadata.Space.ShouldBe(Metadata.Space);
        metadata.Encoding.ShouldBe(Metadata.Encoding);
        metadata.ModelKind.ShouldBe(Metadata.ModelKind);
        metadata.InputNormalization.ShouldBe(Metadata.InputNormalization);
        metadata.TargetNormalization.ShouldBe(Metadata.TargetNormalization);
        metadata.Unit.ShouldBe("ms");
        metadata.BatchSize.ShouldBe(64);
        metadata.DeviceName.ShouldBe(Metadata.DeviceName);
        metadata.TrainingDataSha256.ShouldBe(Metadata.TrainingDataSha256);
        metadata.TrainingMetrics.Select(p => (p.Key, BitConverter.DoubleToInt64Bits(p.Value)))
            .ShouldBe(Metadata.TrainingMetrics.Select(p => (p.Key, BitConverter.DoubleToInt64Bits(p.Value))), ignoreOrder: true);
        metadata.Extra.ShouldBe(Metadata.Extra, ignoreOrder: true);
        file.Tensors.Select(t => t.Name).ShouldBe(["0.weight", "0.bias"]);
        file.Metadata["format"].ShouldBe("latency-gate/predictor");
        file.Metadata["format_version"].ShouldBe("1");
    }

    [Fact]
    public void The_same_predictor_gives_the_same_bytes()
    {
        PredictorFile.Write(_temp.File("a"), Metadata, Tensors);
        PredictorFile.Write(_temp.File("b"), Metadata with { Extra = Metadata.Extra.Reverse().ToDictionary() }, Tensors);
        File.ReadAllBytes(_temp.File("a")).ShouldBe(File.ReadAllBytes(_temp.File("b")));
    }

    [Fact]
    public void A_wrong_format_is_refused_naming_the_file()
    {
        var plain = _temp.File("plain.safetensors");
        SafetensorsFile.Write(plain, Tensors);
        var other = _temp.File("other.safetensors");
        SafetensorsFile.Write(other, Tensors, new Dictionary<string, string> { ["format"] = "pt" });

        foreach (var path in new[] { plain, other })
        {
            var error = Should.Throw<LatencyGateException>(() => PredictorFile.Read(path));
            error.Diagnostics[0].Code.ShouldBe("LG0105");
            error.Diagnostics[0].Location!.File.ShouldBe(path);
            error.Diagnostics[0].ToString().ShouldStartWith(path + ": error LG0105");
        }
    }

    [Theory]
    [InlineData("2")]
    [InlineData("0")]
    [InlineData("one")]
    public void An_unsupported_version_is_refused(string version)
    {
        var map = PredictorFile.ToMap(Metadata);
        map["format_version"] = version;
        var path = _temp.File("future.safetensors");
        SafetensorsFile.Write(path, Tensors, map);

        var error = Should.Throw<LatencyGateException>(() => PredictorFile.Read(path));

        error.Diagnostics[0].Code.ShouldBe("LG0106");
        error.Diagnostics[0].Message.ShouldContain($"'{version}'");
        error.Diagnostics[0].Location!.File.ShouldBe(path);
    }

    [Fact]
    public void Missing_or_bad_fields_are_refused()
    {
        var map = PredictorFile.ToMap(Metadata);
        map.Remove("unit");
        Should.Throw<LatencyGateException>(() => PredictorFile.FromMap(map, "p")).Diagnostics[0].Code.ShouldBe("LG0107");
        map = PredictorFile.ToMap(Metadata);
        map["batch_size"] = "-3";
        Should.Throw<LatencyGateException>(() => PredictorFile.FromMap(map, "p")).Diagnostics[0].Code.ShouldBe("LG0107");
        map = PredictorFile.ToMap(Metadata);
        map["training_metrics"] = "{\"mae\":\"low\"}";
        Should.Throw<LatencyGateException>(() => PredictorFile.FromMap(map, "p")).Diagnostics[0].Code.ShouldBe("LG0107");
    }

    [Fact]
    public void Extra_keys_cannot_shadow_reserved_ones()
    {
        Should.Throw<ArgumentException>(() => PredictorFile.ToMap(Metadata with { Extra = new Dictionary<string, string> { ["unit"] = "s" } }));
    }
}
