using LatencyGate.Spaces;
using Shouldly;
using Xunit;

namespace LatencyGate.Tests.Spaces;

public sealed class OfaMobileNetV3Tests
{
    public static TheoryData<int> GoldenIndices() => [.. Enumerable.Range(0, 40)];

    [Theory]
    [InlineData(19.2, 24)]
    [InlineData(28.8, 32)]
    [InlineData(134.4, 136)]
    [InlineData(16, 16)]
    [InlineData(1152, 1152)]
    [InlineData(12, 16)]
    [InlineData(9, 16)]
    public void Make_divisible_rounds_to_eight_never_ten_percent_down(double value, int expected) =>
        OfaMobileNetV3.MakeDivisible(value).ShouldBe(expected);

    [Fact]
    public void Stage_widths_for_both_width_multipliers()
    {
        OfaMobileNetV3.Widths(OfaSpace.W10).ShouldBe([16, 16, 24, 40, 80, 112, 160, 960, 1280]);
        OfaMobileNetV3.Widths(OfaSpace.W12).ShouldBe([24, 24, 32, 48, 96, 136, 192, 1152, 1536]);
    }

    [Fact]
    public void Layer_keys_of_an_arch_at_192()
    {
        var arch = Arch.Create(Enumerable.Repeat(3, 20).ToArray(), Enumerable.Repeat(3, 20).ToArray(), [2, 2, 2, 2, 2], 192);
        var layers = OfaMobileNetV3.Layers(arch, OfaSpace.W12);
        layers.Count.ShouldBe(2 + 10 + 4);
        layers[0].LutKey.ShouldBe("Conv-input:192x192x3-output:96x96x24");
        layers[1].LutKey.ShouldBe("expanded_conv-input:96x96x24-output:96x96x24-expand:24-kernel:3-stride:1-idskip:1-se:0-hs:0");
        layers[2].LutKey.ShouldBe("expanded_conv-input:96x96x24-output:48x48x32-expand:72-kernel:3-stride:2-idskip:0-se:0-hs:0");
        layers[8].LutKey.ShouldBe("expanded_conv-input:12x12x96-output:12x12x136-expand:288-kernel:3-stride:1-idskip:0-se:1-hs:1");
        layers[9].LutKey.ShouldBe("expanded_conv-input:12x12x136-output:12x12x136-expand:408-kernel:3-stride:1-idskip:1-se:1-hs:1");
        layers[^4].LutKey.ShouldBe("Conv_1-input:6x6x192-output:6x6x1152");
        layers[^3].LutKey.ShouldBe("AvgPool2D-input:6x6x1152-output:1x1x1152");
        layers[^2].LutKey.ShouldBe("Conv_2-input:1x1x1152-output:1x1x1536");
        layers[^1].LutKey.ShouldBe("Logits-input:1x1x1536-output:1000");
    }

    [ReferenceDataTheory]
    [MemberData(nameof(GoldenIndices))]
    public void Macs_match_the_golden_vectors_for_both_widths(int index)
    {
        var c = GoldenVectors.Cases[index];
        (OfaMobileNetV3.Macs(c.Arch, OfaSpace.W12) / 1e6).ShouldBe(c.MacsMW12, 0.001);
        (OfaMobileNetV3.Macs(c.Arch, OfaSpace.W10) / 1e6).ShouldBe(c.MacsMW10, 0.001);
        OfaMobileNetV3.Layers(c.Arch, OfaSpace.W12).Sum(l => l.Macs).ShouldBe(OfaMobileNetV3.Macs(c.Arch, OfaSpace.W12));
    }

    [ReferenceDataTheory]
    [InlineData("note10_lat-30ms_top1-78.4_finetune-75")]
    [InlineData("note10_lat-41ms_top1-79.3_finetune-75")]
    [InlineData("note10_lat-50ms_top1-79.7_finetune-75")]
    [InlineData("note10_lat-8ms_top1-71.4_finetune-25")] // a w1.0 net
    [InlineData("pixel1_lat-20ms_top1-71.4_finetune-25")]
    public void Derived_layers_match_a_published_net_config(string id)
    {
        using var doc = SpecializedNets.NetConfig(id);
        var space = doc.RootElement.GetProperty("first_conv").GetProperty("out_channels").GetInt32() == 16 ? OfaSpace.W10 : OfaSpace.W12;
        var arch = SpecializedNets.ToArch(id, space);
        var layers = OfaMobileNetV3.Layers(arch, space);
        var blocks = doc.RootElement.GetProperty("blocks").EnumerateArray().ToArray();
        var blockLayers = layers.Where(l => l.Kind is OfaLayerKind.FirstBlock or OfaLayerKind.Block).ToArray();
        blockLayers.Length.ShouldBe(blocks.Length);
        for (var i = 0; i < blocks.Length; i++)
        {
            var m = blocks[i].GetProperty("mobile_inverted_conv");
            var l = blockLayers[i];
            l.InputChannels.ShouldBe(m.GetProperty("in_channels").GetInt32());
            l.OutputChannels.ShouldBe(m.GetProperty("out_channels").GetInt32());
            l.Kernel.ShouldBe(m.GetProperty("kernel_size").GetInt32());
            l.Stride.ShouldBe(m.GetProperty("stride").GetInt32());
            l.Se.ShouldBe(m.GetProperty("use_se").GetBoolean());
            l.HSwish.ShouldBe(m.GetProperty("act_func").GetString() == "h_swish");
            l.IdSkip.ShouldBe(blocks[i].GetProperty("shortcut").ValueKind != System.Text.Json.JsonValueKind.Null);
            var mid = m.GetProperty("mid_channels");
            if (mid.ValueKind == System.Text.Json.JsonValueKind.Number)
            {
                l.ExpandWidth.ShouldBe(mid.GetInt32());
            }
        }

        layers[0].OutputChannels.ShouldBe(doc.RootElement.GetProperty("first_conv").GetProperty("out_channels").GetInt32());
        layers[^4].OutputChannels.ShouldBe(doc.RootElement.GetProperty("final_expand_layer").GetProperty("out_channels").GetInt32());
        layers[^2].OutputChannels.ShouldBe(doc.RootElement.GetProperty("feature_mix_layer").GetProperty("out_channels").GetInt32());
    }

    [Fact]
    public void Params_of_the_smallest_w12_net_add_up_by_hand_for_the_fixed_layers()
    {
        var arch = Arch.Create(Enumerable.Repeat(3, 20).ToArray(), Enumerable.Repeat(3, 20).ToArray(), [2, 2, 2, 2, 2], 224);
        var layers = OfaMobileNetV3.Layers(arch, OfaSpace.W12);
        layers[0].Params.ShouldBe((27 * 24) + 48);
        layers[1].Params.ShouldBe((24 * 9) + 48 + (24 * 24) + 48);
        layers[^1].Params.ShouldBe((1536 * 1000) + 1000);
        OfaMobileNetV3.Params(arch, OfaSpace.W12).ShouldBe(layers.Sum(l => l.Params));
    }
}
