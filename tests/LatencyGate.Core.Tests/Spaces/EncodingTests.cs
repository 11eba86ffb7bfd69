using LatencyGate.Diagnostics;
using LatencyGate.Randomness;
using LatencyGate.Spaces;
using LatencyGate.Spaces.Encodings;
using Shouldly;
using Xunit;

namespace LatencyGate.Tests.Spaces;

public sealed class EncodingTests
{
    public static TheoryData<int> GoldenIndices() => [.. Enumerable.Range(0, 40)];

    [ReferenceDataTheory]
    [MemberData(nameof(GoldenIndices))]
    public void Tutorial_encoding_nonzero_indices_match_the_golden_vectors(int index)
    {
        var c = GoldenVectors.Cases[index];
        var enc = ArchEncodings.Get("ofa-tutorial-128", OfaSpace.W12);
        enc.Length.ShouldBe(128);
        var features = new float[128];
        enc.Encode(c.Arch, features);
        var nonzero = Enumerable.Range(0, 128).Where(i => features[i] != 0f).ToArray();
        nonzero.ShouldBe(c.FeatureNonzero);
        features.Where(v => v != 0f).ShouldAllBe(v => v == 1f);
    }

    [Fact]
    public void Rich_encoding_separates_what_the_tutorial_encoding_merges_and_ignores_inactive_slots()
    {
        var rich = ArchEncodings.Get("lg-rich-163", OfaSpace.W12);
        rich.Length.ShouldBe(163);
        var sampler = new ArchSampler(OfaSpace.W12.Resolutions);
        var random = new SeededRandom(7);
        for (var n = 0; n < 50; n++)
        {
            var a = sampler.Sample(random);
            var f = new float[163];
            rich.Encode(a, f);
            f.AsSpan(0, 120).ToArray().Count(v => v == 1f).ShouldBe(2 * a.ActiveBlockCount);
            f.AsSpan(120, 15).ToArray().Count(v => v == 1f).ShouldBe(5);
            f.AsSpan(135, 25).ToArray().Count(v => v == 1f).ShouldBe(1);
            f[135 + ((a.Resolution - 128) / 4)].ShouldBe(1f);
            f[161].ShouldBeInRange(0.05f, 1f);
            var normalized = a.Normalized(7, 6);
            var g = new float[163];
            rich.Encode(normalized, g);
            g.ShouldBe(f);
        }

        // 160 and 164 share a tutorial resolution slot but not a rich one.
        var x = Arch.Create(Enumerable.Repeat(3, 20).ToArray(), Enumerable.Repeat(3, 20).ToArray(), [2, 2, 2, 2, 2], 160);
        var y = Arch.Create(Enumerable.Repeat(3, 20).ToArray(), Enumerable.Repeat(3, 20).ToArray(), [2, 2, 2, 2, 2], 164);
        var tx = new float[128];
        var ty = new float[128];
        TutorialOneHotEncoding.Instance.Encode(x, tx);
        TutorialOneHotEncoding.Instance.Encode(y, ty);
        tx.ShouldBe(ty);
        var rx = new float[163];
        var ry = new float[163];
        rich.Encode(x, rx);
        rich.Encode(y, ry);
        rx.ShouldNotBe(ry);
    }

    [Fact]
    public void Unknown_encoding_is_LG0008()
    {
        var ex = Should.Throw<LatencyGateException>(() => ArchEncodings.Get("nope", OfaSpace.W12));
        ex.Diagnostics.ShouldHaveSingleItem().Code.ShouldBe("LG0008");
    }
}
