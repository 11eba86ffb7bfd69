using System.Text.Json;
using LatencyGate.Networks;
using LatencyGate.Runtime.OnnxRuntime;
using LatencyGate.Spaces;
using Onnx;
using Shouldly;
using Xunit;

namespace LatencyGate.Tests.OnnxRuntime;

public sealed class OnnxExportTests
{
    /// <summary>OFA's 50 published specialised nets, from their net.config (in-space MobileNetV3 ones also from their arch).</summary>
    [ReferenceDataFact]
    public void Every_published_specialised_net_exports_with_explains_macs_and_params_and_runs_in_onnx_runtime()
    {
        var folders = Directory.GetDirectories(ReferenceData.PathOf("ofa-specialized")).Order(StringComparer.Ordinal).ToArray();
        folders.Length.ShouldBe(50);
        var runtime = new OnnxRuntimeMeasurementRuntime();
        var inSpace = 0;
        for (var i = 0; i < folders.Length; i++)
        {
            var id = Path.GetFileName(folders[i]);
            var network = OfaNetConfig.FromFolder(folders[i]);
            var model = ModelProto.Parser.ParseFrom(OnnxExport.ToBytes(network, seed: 1));
            var stats = OnnxGraphStats.Of(model);
            stats.Macs.ShouldBe(network.Macs, id);
            stats.Params.ShouldBe(network.Params, id);
            if (InSpaceArch(folders[i]) is { } a)
            {
                // The published layer list and our derivation from the arch build the same network.
                var derived = OfaNetwork.Build(a.Arch, a.Space);
                derived.Nodes.Select(n => (n.Name, n.Op, n.Shape, string.Join(',', n.Inputs))).ShouldBe(
                    network.Nodes.Select(n => (n.Name, n.Op, n.Shape, string.Join(',', n.Inputs))), id);
                stats.Macs.ShouldBe(OfaMobileNetV3.Macs(a.Arch, a.Space), id);
                stats.Params.ShouldBe(OfaMobileNetV3.Params(a.Arch, a.Space), id);
                inSpace++;
            }

            // Loading all 50 in ONNX Runtime costs ~0.3 s each on 2 cores; every fifth keeps the test short
            // (the in-space ones all run through the arch path below at their own size classes).
            if (i % 5 == 0)
            {
                using var prepared = (OnnxPreparedNetwork)runtime.Prepare(network, batchSize: 2, threads: 1, seed: 1);
                prepared.RunOnce();
                prepared.OutputShape.ShouldBe([2L, 1000L]);
                prepared.DeclaredOutputShape.ShouldBe([-1L, 1000L]);
                prepared.Output.ToArray().ShouldAllBe(v => float.IsFinite(v));
            }
        }

        inSpace.ShouldBe(30);
    }

    [ReferenceDataFact]
    public void Golden_archs_export_with_explains_macs_and_params_in_both_spaces()
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(ReferenceData.PathOf("ofa-lut", "golden_vectors.json")));
        var archs = doc.RootElement.GetProperty("cases").EnumerateArray().Select(c => ArchJson.Parse(c.GetProperty("arch").GetRawText(), OfaSpace.W12)).ToArray();
        archs.Length.ShouldBeGreaterThan(10);
        foreach (var space in OfaSpace.All)
        {
            foreach (var arch in archs)
            {
                // The model as written (the byte round trip is covered by the specialised-net test).
                var stats = OnnxGraphStats.Of(OnnxExport.ToModel(OfaNetwork.Build(arch, space), seed: 3));
                stats.Macs.ShouldBe(OfaMobileNetV3.Macs(arch, space));
                stats.Params.ShouldBe(OfaMobileNetV3.Params(arch, space));
            }
        }
    }

    [Fact]
    public void Export_is_deterministic_for_a_seed_and_names_tensors_like_ofa()
    {
        var arch = Arch.Create(Enumerable.Repeat(5, 20).ToArray(), Enumerable.Repeat(3, 20).ToArray(), [2, 2, 2, 2, 2], 128);
        var network = OfaNetwork.Build(arch, OfaSpace.W12);
        var a = OnnxExport.ToBytes(network, seed: 5);
        OnnxExport.ToBytes(network, seed: 5).ShouldBe(a);
        OnnxExport.ToBytes(network, seed: 6).ShouldNotBe(a);
        var model = ModelProto.Parser.ParseFrom(a);
        model.OpsetImport.Single().Version.ShouldBe(17);
        var names = model.Graph.Initializer.Select(t => t.Name).ToHashSet();
        names.ShouldContain("first_conv.conv.weight");
        names.ShouldContain("first_conv.bn.running_var");
        names.ShouldContain("blocks.1.conv.inverted_bottleneck.bn.weight");
        names.ShouldContain("blocks.3.conv.depth_conv.se.fc.reduce.bias");
        names.ShouldContain("classifier.linear.weight");
        model.Graph.Input.Single().Name.ShouldBe("input");
        model.Graph.Output.Single().Name.ShouldBe("logits");
    }

    private static (Arch Arch, OfaSpace Space)? InSpaceArch(string folder)
    {
        using var net = JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, "net.config")));
        using var run = JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, "run.config")));
        if (net.RootElement.GetProperty("name").GetString() != "MobileNetV3")
        {
            return null;
        }

        var space = net.RootElement.GetProperty("first_conv").GetProperty("out_channels").GetInt32() == 16 ? OfaSpace.W10 : OfaSpace.W12;
        var r = run.RootElement.GetProperty("image_size").GetInt32();
        if (!space.SupportsResolution(r))
        {
            return null;
        }

        var blocks = net.RootElement.GetProperty("blocks").EnumerateArray().Skip(1).Select(b => b.GetProperty("mobile_inverted_conv")).ToArray();
        var ks = Enumerable.Repeat(3, 20).ToArray();
        var e = Enumerable.Repeat(3, 20).ToArray();
        var d = new int[5];
        var stage = -1;
        var j = 0;
        foreach (var b in blocks)
        {
            if (b.GetProperty("in_channels").GetInt32() != b.GetProperty("out_channels").GetInt32())
            {
                stage++;
                j = 0;
            }

            ks[(stage * 4) + j] = b.GetProperty("kernel_size").GetInt32();
            e[(stage * 4) + j] = b.GetProperty("expand_ratio").GetInt32();
            j++;
            d[stage] = j;
        }

        return (Arch.Create(ks, e, d, r, space), space);
    }
}
