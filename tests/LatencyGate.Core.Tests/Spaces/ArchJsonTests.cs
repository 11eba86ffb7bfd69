using FsCheck;
using FsCheck.Fluent;
using LatencyGate.Diagnostics;
using LatencyGate.Randomness;
using LatencyGate.Spaces;
using Shouldly;
using Xunit;

namespace LatencyGate.Tests.Spaces;

public sealed class ArchJsonTests
{
    private const string Ks = "[5, 3, 3, 3, 5, 3, 3, 3, 7, 7, 3, 3, 5, 5, 7, 3, 3, 3, 5, 3]";
    private const string E = "[3, 3, 3, 3, 4, 4, 3, 3, 6, 3, 4, 3, 4, 4, 4, 3, 6, 6, 6, 3]";
    private static readonly ArchSampler Sampler = new(OfaSpace.W12.Resolutions);

    [Fact]
    public void Reads_ofa_json_with_r_list()
    {
        var arch = ArchJson.Parse($"{{\"ks\": {Ks}, \"e\": {E}, \"d\": [2, 2, 3, 4, 3], \"r\": [192]}}", OfaSpace.W12);
        arch.Resolution.ShouldBe(192);
        arch.Depths.ToArray().ShouldBe(new byte[] { 2, 2, 3, 4, 3 });
        arch.KernelSizes[8].ShouldBe((byte)7);
        arch.ExpandRatios[16].ShouldBe((byte)6);
    }

    [Fact]
    public void Image_size_and_r_forms_and_python_literal_give_the_same_arch()
    {
        var a = ArchJson.Parse($"{{\"ks\": {Ks}, \"e\": {E}, \"d\": [2, 2, 3, 4, 3], \"r\": [192]}}", OfaSpace.W12);
        var b = ArchJson.Parse($"{{\"wid\": null, \"ks\": {Ks}, \"e\": {E}, \"d\": [2, 2, 3, 4, 3], \"image_size\": 192}}", OfaSpace.W12);
        var c = ArchJson.Parse($"{{'wid': None, 'ks': {Ks}, 'e': {E}, 'd': [2, 2, 3, 4, 3], 'r': [192], 'flag': True}}", OfaSpace.W12);
        b.ShouldBe(a);
        c.ShouldBe(a);
    }

    [Fact]
    public void Missing_d_names_the_field()
    {
        var ex = Should.Throw<LatencyGateException>(() =>
            ArchJson.Parse($"{{\"ks\": {Ks}, \"e\": {E}, \"r\": [192]}}", OfaSpace.W12, new SourceLocation("a.json")));
        var d = ex.Diagnostics.ShouldHaveSingleItem();
        d.Code.ShouldBe("LG0003");
        d.Message.ShouldContain("'d'");
        d.Location.ShouldBe(new SourceLocation("a.json", 1, 1));
    }

    [Fact]
    public void Missing_resolution_is_LG0003()
    {
        var ex = Should.Throw<LatencyGateException>(() =>
            ArchJson.Parse($"{{\"ks\": {Ks}, \"e\": {E}, \"d\": [2, 2, 3, 4, 3]}}", OfaSpace.W12));
        ex.Diagnostics.ShouldHaveSingleItem().Code.ShouldBe("LG0003");
    }

    [Fact]
    public void Kernel_size_9_points_at_the_ks_field_on_its_line()
    {
        var text = "{\n  \"ks\": [9, 3, 3, 3, 5, 3, 3, 3, 7, 7, 3, 3, 5, 5, 7, 3, 3, 3, 5, 3],\n  \"e\": " + E + ",\n  \"d\": [2, 2, 3, 4, 3],\n  \"r\": [192]\n}";
        var ex = Should.Throw<LatencyGateException>(() => ArchJson.Parse(text, OfaSpace.W12, new SourceLocation("arch.json", 1, 1)));
        var d = ex.Diagnostics.ShouldHaveSingleItem();
        d.Code.ShouldBe("LG0001");
        d.Message.ShouldContain("'ks' slot 0 is 9");
        d.Location.ShouldBe(new SourceLocation("arch.json", 2, 3));
    }

    [Theory]
    [InlineData("{\"ks\": [3, 3")]
    [InlineData("")]
    [InlineData("[1, 2]")]
    [InlineData("{\"ks\": [3], \"e\": [3], \"d\": [2], \"r\": [192]} extra")]
    [InlineData("{ks: [3]}")]
    [InlineData("{\"ks\": [\"a\"], \"e\": [3], \"d\": [2], \"r\": [192]}")]
    public void Unparseable_text_is_LG0004(string text)
    {
        var ex = Should.Throw<LatencyGateException>(() => ArchJson.Parse(text, OfaSpace.W12, new SourceLocation("x")));
        ex.Diagnostics.ShouldHaveSingleItem().Code.ShouldBe("LG0004");
    }

    [Fact]
    public void Conflicting_resolutions_are_LG0006()
    {
        var ex = Should.Throw<LatencyGateException>(() =>
            ArchJson.Parse($"{{\"ks\": {Ks}, \"e\": {E}, \"d\": [2, 2, 3, 4, 3], \"r\": [192], \"image_size\": 224}}", OfaSpace.W12));
        ex.Diagnostics.ShouldHaveSingleItem().Code.ShouldBe("LG0006");
    }

    [Fact]
    public void Location_inside_an_embedded_cell_is_offset()
    {
        var ex = Should.Throw<LatencyGateException>(() =>
            ArchJson.Parse("{'ks': [3, 3", OfaSpace.W12, new SourceLocation("data.csv", 7, 2)));
        ex.Diagnostics.ShouldHaveSingleItem().Location.ShouldBe(new SourceLocation("data.csv", 7, 14));
    }

    [Fact]
    public void Write_then_read_gives_the_same_arch()
    {
        Prop.ForAll(Arb.From(Gen.Choose(0, int.MaxValue)), seed =>
        {
            var arch = Sampler.Sample(new SeededRandom((ulong)seed));
            var back = ArchJson.Parse(ArchJson.Write(arch), OfaSpace.W12);
            return back.Equals(arch) && back.KernelSizes.SequenceEqual(arch.KernelSizes) && back.ExpandRatios.SequenceEqual(arch.ExpandRatios);
        }).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void Canonical_keys_match_exactly_when_active_networks_are_equal()
    {
        // Pairs drawn close together (a mutant, or the same arch with inactive slots rewritten) so
        // that both the equal and the unequal side of the property are exercised often.
        Prop.ForAll(Arb.From(Gen.Choose(0, int.MaxValue)), seed =>
        {
            var random = new SeededRandom((ulong)seed);
            var a = Sampler.Sample(random);
            var b = random.NextDouble() < 0.5 ? Sampler.Mutate(a, 0.05, random) : RewriteInactive(a, random);
            var activeEqual = ActiveNetworkEquals(a, b);
            return (a.CanonicalKey == b.CanonicalKey) == activeEqual && a.Equals(b) == activeEqual;
        }).QuickCheckThrowOnFailure();
    }

    [ReferenceDataFact]
    public void Reads_the_python_literal_of_a_published_data_set()
    {
        var lines = File.ReadLines(ReferenceData.PathOf("rhythmsyed-nasperfest", "latency_dataset_oct2020.csv")).Skip(1).Take(300).ToArray();
        var flat = File.ReadLines(ReferenceData.PathOf("rhythmsyed-nasperfest", "latency_dataset_oct2020_flat.csv")).Skip(1).Take(300).ToArray();
        for (var i = 0; i < lines.Length; i++)
        {
            var literal = lines[i][1..lines[i].LastIndexOf('"', lines[i].LastIndexOf(',', lines[i].LastIndexOf(',') - 1))];
            var arch = ArchJson.Parse(literal, OfaSpace.W12);
            var cols = flat[i].Split(',').Select(int.Parse).Take(47).ToArray();
            arch.Resolution.ShouldBe(cols[1]);
            arch.Depths.ToArray().Select(v => (int)v).ShouldBe(cols[2..7]);
            arch.KernelSizes.ToArray().Select(v => (int)v).ShouldBe(cols[7..27]);
            arch.ExpandRatios.ToArray().Select(v => (int)v).ShouldBe(cols[27..47]);
        }
    }

    internal static bool ActiveNetworkEquals(Arch a, Arch b)
    {
        if (a.Resolution != b.Resolution || !a.Depths.SequenceEqual(b.Depths))
        {
            return false;
        }

        for (var i = 0; i < Arch.SlotCount; i++)
        {
            if (a.IsActive(i) && (a.KernelSizes[i] != b.KernelSizes[i] || a.ExpandRatios[i] != b.ExpandRatios[i]))
            {
                return false;
            }
        }

        return true;
    }

    private static Arch RewriteInactive(Arch a, SeededRandom random)
    {
        var ks = a.KernelSizes.ToArray().Select(v => (int)v).ToArray();
        var e = a.ExpandRatios.ToArray().Select(v => (int)v).ToArray();
        for (var i = 0; i < Arch.SlotCount; i++)
        {
            if (!a.IsActive(i))
            {
                ks[i] = random.Choice(OfaSpace.KernelSizeChoices);
                e[i] = random.Choice(OfaSpace.ExpandRatioChoices);
            }
        }

        return Arch.Create(ks, e, a.Depths.ToArray().Select(v => (int)v).ToArray(), a.Resolution);
    }
}
