using System.Text.Json;
using LatencyGate.Networks;
using LatencyGate.Randomness;
using LatencyGate.Spaces;
using LatencyGate.Tests.Spaces;
using Shouldly;
using Xunit;

namespace LatencyGate.Tests.Networks;

public sealed class OfaNetworkTests
{
    [ReferenceDataFact]
    public void Every_specialized_net_and_golden_arch_has_explains_macs_and_params_layer_by_layer()
    {
        var cases = new List<(Arch Arch, OfaSpace Space, string Id)>();
        foreach (var dir in Directory.GetDirectories(ReferenceData.PathOf("ofa-specialized")))
        {
            var id = Path.GetFileName(dir);
            using var doc = SpecializedNets.NetConfig(id);
            if (doc.RootElement.GetProperty("name").GetString() != "MobileNetV3")
            {
                continue; // the 16 GPU/CPU nets are ProxylessNAS w1.3, outside the OFA MobileNetV3 spaces
            }

            var space = doc.RootElement.GetProperty("first_conv").GetProperty("out_channels").GetInt32() == 16 ? OfaSpace.W10 : OfaSpace.W12;
            using var run = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "run.config")));
            if (!space.SupportsResolution(run.RootElement.GetProperty("image_size").GetInt32()))
            {
                continue; // flops nets at 228..260: beyond the space's resolutions (built from net.config instead)
            }

            cases.Add((SpecializedNets.ToArch(id, space), space, id));
        }

        cases.Count.ShouldBe(30);
        foreach (var g in GoldenVectors.Cases)
        {
            cases.Add((g.Arch, OfaSpace.W12, g.Name));
            cases.Add((g.Arch, OfaSpace.W10, g.Name));
        }

        foreach (var (arch, space, id) in cases)
        {
            var network = OfaNetwork.Build(arch, space);
            var layers = OfaMobileNetV3.Layers(arch, space);
            network.Macs.ShouldBe(OfaMobileNetV3.Macs(arch, space), id);
            network.Params.ShouldBe(OfaMobileNetV3.Params(arch, space), id);
            for (var i = 0; i < layers.Count; i++)
            {
                var nodes = network.Nodes.Where(n => n.Layer == i).ToArray();
                nodes.Sum(n => n.Macs).ShouldBe(layers[i].Macs, $"{id} layer {i}");
                nodes.Sum(n => n.Params).ShouldBe(layers[i].Params, $"{id} layer {i}");
                nodes[^1].Shape.Channels.ShouldBe(layers[i].OutputChannels, $"{id} layer {i}");
                if (layers[i].Kind != OfaLayerKind.Classifier)
                {
                    nodes[^1].Shape.Height.ShouldBe(layers[i].OutputSize, $"{id} layer {i}");
                }
            }

            network.Output.Shape.ShouldBe(FeatureShape.Vector(1000));
        }
    }

    [ReferenceDataFact]
    public void Squeeze_excite_and_skips_match_a_published_net_config()
    {
        const string id = "note10_lat-11ms_top1-73.6_finetune-25";
        using var doc = SpecializedNets.NetConfig(id);
        var network = OfaNetwork.Build(SpecializedNets.ToArch(id, OfaSpace.W10), OfaSpace.W10);
        var blocks = doc.RootElement.GetProperty("blocks").EnumerateArray().ToArray();
        network.Nodes.Count(n => n.Name.EndsWith(".se.scale", StringComparison.Ordinal))
            .ShouldBe(blocks.Count(b => b.GetProperty("mobile_inverted_conv").GetProperty("use_se").GetBoolean()));
        network.Nodes.Count(n => n.Op is AddOp)
            .ShouldBe(blocks.Count(b => b.GetProperty("shortcut").ValueKind != JsonValueKind.Null));
        network.Nodes.Count(n => n.Op is HSwishOp).ShouldBe(
            3 + blocks.Count(b => b.GetProperty("mobile_inverted_conv").GetProperty("act_func").GetString() == "h_swish") * 2);
    }

    [Fact]
    public void Random_archs_of_both_spaces_count_like_explain_and_are_well_formed()
    {
        var random = new SeededRandom(14);
        foreach (var space in OfaSpace.All)
        {
            var sampler = new ArchSampler(space.Resolutions);
            for (var i = 0; i < 100; i++)
            {
                var arch = sampler.Sample(random);
                var network = OfaNetwork.Build(arch, space);
                network.Macs.ShouldBe(OfaMobileNetV3.Macs(arch, space));
                network.Params.ShouldBe(OfaMobileNetV3.Params(arch, space));
                network.Input.Shape.ShouldBe(FeatureShape.Map(3, arch.Resolution));
                network.Nodes.Select((n, k) => n.Index == k && n.Inputs.All(j => j < k)).ShouldAllBe(ok => ok);
                network.Nodes.Select(n => n.Name).Distinct().Count().ShouldBe(network.Nodes.Count);
            }
        }
    }

    [Fact]
    public void Ops_reject_shapes_that_do_not_fit()
    {
        Should.Throw<InvalidOperationException>(() => new Conv2dOp(8, 16, 3, 1, 1, false, true).InferShape([FeatureShape.Map(4, 8)]));
        Should.Throw<InvalidOperationException>(() => new LinearOp(8, 2, true).InferShape([FeatureShape.Map(8, 1)]));
        Should.Throw<InvalidOperationException>(() => new AddOp().InferShape([FeatureShape.Map(8, 4), FeatureShape.Map(8, 2)]));
        new Conv2dOp(8, 8, 5, 2, 8, false, true).InferShape([FeatureShape.Map(8, 7)]).ShouldBe(FeatureShape.Map(8, 4));
    }
}
