using System.Buffers.Binary;
using LatencyGate.Diagnostics;
using LatencyGate.Learning.WeightFiles;
using Shouldly;
using Xunit;

namespace LatencyGate.Tests.Learning.WeightFiles;

/// <summary>Crafted checkpoints in both PyTorch formats: views, dtypes and nested checkpoint dicts.</summary>
public sealed class TorchCheckpointTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    // Storage "s" holds 0..11; "d" holds doubles, "h" halves, "n" a long counter.
    private static readonly float[] Counting = [.. Enumerable.Range(0, 12).Select(i => (float)i)];

    private static readonly CraftedTensor[] Views =
    [
        new("contiguous", "FloatStorage", "s", 12, 0, [3, 4], [4, 1]),
        new("transposed", "FloatStorage", "s", 12, 0, [4, 3], [1, 4]),
        new("offset_slice", "FloatStorage", "s", 12, 5, [2, 2], [4, 2]),
        new("double", "DoubleStorage", "d", 2, 0, [2], [1]),
        new("half", "HalfStorage", "h", 2, 1, [1], [1]),
        new("counter", "LongStorage", "n", 1, 0, [], []),
    ];

    private static Dictionary<string, byte[]> Storages()
    {
        var d = new byte[16];
        BinaryPrimitives.WriteDoubleLittleEndian(d, 0.1);
        BinaryPrimitives.WriteDoubleLittleEndian(d.AsSpan(8), -3.5);
        var h = new byte[4];
        BinaryPrimitives.WriteHalfLittleEndian(h, (Half)1);
        BinaryPrimitives.WriteHalfLittleEndian(h.AsSpan(2), (Half)0.5);
        return new()
        {
            ["s"] = Checkpoints.Floats(Counting),
            ["d"] = d,
            ["h"] = h,
            ["n"] = BitConverter.GetBytes(12345L),
        };
    }

    private static void CheckViews(WeightFile file)
    {
        file.Tensors.Select(t => t.Name).ShouldBe(Views.Select(v => v.Name));
        file.Find("contiguous")!.Values.ShouldBe(Counting);
        file.Find("transposed")!.Shape.ShouldBe([4, 3]);
        file.Find("transposed")!.Values.ShouldBe([0f, 4, 8, 1, 5, 9, 2, 6, 10, 3, 7, 11]);
        file.Find("offset_slice")!.Values.ShouldBe([5f, 7, 9, 11]);
        file.Find("double")!.Values.ShouldBe([(float)0.1, -3.5f]);
        file.Find("half")!.Values.ShouldBe([0.5f]);
        file.Find("counter")!.Shape.ShouldBeEmpty();
        file.Find("counter")!.Values.ShouldBe([12345f]);
    }

    [Fact]
    public void Zip_checkpoint_views_and_dtypes_are_read_correctly()
    {
        var path = _temp.File("views.pt");
        Checkpoints.WriteZip(path, Checkpoints.StateDict(Views), Storages());
        var file = WeightFileReader.Read(path);
        file.Format.ShouldBe(WeightFileFormat.TorchZip);
        CheckViews(file);
    }

    [Fact]
    public void Zip_checkpoints_with_another_prefix_or_deflated_entries_are_read()
    {
        var path = _temp.File("deflated.pt");
        Checkpoints.WriteZip(path, Checkpoints.StateDict(Views), Storages(), prefix: "my_model", level: System.IO.Compression.CompressionLevel.Optimal);
        CheckViews(WeightFileReader.Read(path));
    }

    [Fact]
    public void Legacy_checkpoint_views_and_dtypes_are_read_correctly()
    {
        var path = _temp.File("views.pth");
        var storages = Storages();
        Checkpoints.WriteLegacy(path, Checkpoints.StateDict(Views),
        [
            ("s", 12, storages["s"]), ("d", 2, storages["d"]), ("h", 2, storages["h"]), ("n", 1, storages["n"]),
        ]);
        var file = WeightFileReader.Read(path);
        file.Format.ShouldBe(WeightFileFormat.TorchLegacy);
        CheckViews(file);
    }

    [Fact]
    public void A_training_checkpoint_yields_its_nested_state_dict_and_ignores_the_rest()
    {
        // {'epoch': 7, 'lr': 0.01, 'best': tensor, 'model_state_dict': OrderedDict(w=...), 'optimizer': {'state': {0: {...}}}}
        var p = new PickleBytes().Proto().EmptyDict().Mark()
            .Str("epoch").Int(7)
            .Str("lr").Float(0.01)
            .Str("best").Tensor("FloatStorage", "s", 12, 0, [], [])
            .Str("model_state_dict").Global("collections", "OrderedDict").EmptyTuple().Reduce().Mark()
            .Str("w").Global("torch._utils", "_rebuild_parameter").Mark().Tensor("FloatStorage", "s", 12, 2, [2], [1]).Raw(0x88)
            .Global("collections", "OrderedDict").EmptyTuple().Reduce().Tuple().Reduce()
            .Str("flag").Raw(0x89)
            .SetItems()
            .Str("optimizer").EmptyDict().Str("state").EmptyDict().Int(0).EmptyDict().Str("momentum_buffer")
            .Tensor("FloatStorage", "m", 3, 0, [3], [1]).SetItem().SetItem().SetItem()
            .SetItems().Stop().ToArray();
        var path = _temp.File("train.pt");
        Checkpoints.WriteZip(path, p, new Dictionary<string, byte[]> { ["s"] = Checkpoints.Floats(Counting) }); // "m" absent: never read

        var file = WeightFileReader.Read(path);

        file.Tensors.Count.ShouldBe(1);
        file.Tensors[0].Name.ShouldBe("w");
        file.Tensors[0].Values.ShouldBe([2f, 3f]);
    }

    [Fact]
    public void A_huge_dimension_on_an_empty_tensor_is_refused()
    {
        var path = _temp.File("zero.pt");
        Checkpoints.WriteZip(path, Checkpoints.StateDict([new CraftedTensor("w", "FloatStorage", "s", 12, 0, [0, 1L << 40], [1, 1])]), Storages());
        Should.Throw<LatencyGateException>(() => WeightFileReader.Read(path)).Diagnostics[0].Code.ShouldBe("LG0115");
    }

    [Fact]
    public void A_checkpoint_without_tensors_is_refused()
    {
        var path = _temp.File("empty.pt");
        Checkpoints.WriteZip(path, new PickleBytes().Proto().EmptyDict().Str("epoch").Int(3).SetItem().Stop().ToArray(), new Dictionary<string, byte[]>());
        var error = Should.Throw<LatencyGateException>(() => WeightFileReader.Read(path));
        error.Diagnostics[0].Code.ShouldBe("LG0117");
        error.Diagnostics[0].Message.ShouldContain("epoch");
    }

    [Fact]
    public void A_missing_storage_entry_and_a_wrong_legacy_magic_are_refused()
    {
        var zip = _temp.File("missing.pt");
        Checkpoints.WriteZip(zip, Checkpoints.StateDict(Views.Take(1)), new Dictionary<string, byte[]>());
        Should.Throw<LatencyGateException>(() => WeightFileReader.Read(zip)).Diagnostics[0].Code.ShouldBe("LG0114");

        var legacy = _temp.File("magic.pth");
        File.WriteAllBytes(legacy, [0x80, 0x02, 0x8a, 0x01, 0x05, (byte)'.']);
        Should.Throw<LatencyGateException>(() => WeightFileReader.Read(legacy)).Diagnostics[0].Code.ShouldBe("LG0118");
    }

    [Fact]
    public void Every_truncation_of_a_checkpoint_is_an_LG_error()
    {
        // Bounded work on hostile input: each prefix fails cleanly, none hangs or crashes.
        var path = _temp.File("full.pth");
        var storages = Storages();
        Checkpoints.WriteLegacy(path, Checkpoints.StateDict(Views), [("s", 12, storages["s"]), ("d", 2, storages["d"]), ("h", 2, storages["h"]), ("n", 1, storages["n"])]);
        var bytes = File.ReadAllBytes(path);
        var cut = _temp.File("cut.pth");
        for (var length = 0; length < bytes.Length; length += 7)
        {
            File.WriteAllBytes(cut, bytes[..length]);
            Should.Throw<LatencyGateException>(() => WeightFileReader.Read(cut)).Diagnostics[0].Code.ShouldStartWith("LG01");
        }
    }
}
