using FsCheck;
using FsCheck.Fluent;
using LatencyGate.Diagnostics;
using LatencyGate.Randomness;
using LatencyGate.Spaces;
using Shouldly;
using Xunit;

namespace LatencyGate.Tests.Spaces;

public sealed class ArchTests
{
    private static readonly ArchSampler Sampler = new(OfaSpace.W12.Resolutions);

    [Fact]
    public void Kernel_size_outside_the_space_names_field_slot_and_value()
    {
        var ks = Enumerable.Repeat(3, 20).ToArray();
        ks[7] = 9;
        var ex = Should.Throw<LatencyGateException>(() =>
            Arch.Create(ks, Enumerable.Repeat(3, 20).ToArray(), [2, 2, 2, 2, 2], 224));
        var d = ex.Diagnostics.ShouldHaveSingleItem();
        d.Code.ShouldBe("LG0001");
        d.Message.ShouldContain("'ks' slot 7 is 9");
        ex.ExitCode.ShouldBe(ExitCode.InvalidInput);
    }

    [Fact]
    public void Resolution_outside_the_space_is_an_error()
    {
        var ex = Should.Throw<LatencyGateException>(() =>
            Arch.Create(Enumerable.Repeat(3, 20).ToArray(), Enumerable.Repeat(3, 20).ToArray(), [2, 2, 2, 2, 2], 226));
        ex.Diagnostics.ShouldHaveSingleItem().Message.ShouldContain("'r'");
    }

    [Fact]
    public void Archs_differing_only_in_inactive_slots_are_equal()
    {
        var ks = Enumerable.Repeat(3, 20).ToArray();
        var ks2 = (int[])ks.Clone();
        ks2[3] = 7; // stage 0, depth 2: slot 3 inactive
        var e = Enumerable.Repeat(4, 20).ToArray();
        var a = Arch.Create(ks, e, [2, 3, 4, 2, 2], 192);
        var b = Arch.Create(ks2, e, [2, 3, 4, 2, 2], 192);
        a.ShouldBe(b);
        a.CanonicalKey.ShouldBe(b.CanonicalKey);
        a.GetHashCode().ShouldBe(b.GetHashCode());
        var c = Arch.Create(ks2, e, [4, 3, 4, 2, 2], 192);
        c.ShouldNotBe(a);
    }

    [Fact]
    public void Mutation_and_crossover_give_valid_archs()
    {
        Prop.ForAll(Arb.From(Gen.Choose(0, int.MaxValue)), seed =>
        {
            var random = new SeededRandom((ulong)seed);
            var a = Sampler.Sample(random);
            var b = Sampler.Sample(random);
            var m = Sampler.Mutate(a, 0.1, random);
            var c = ArchSampler.Crossover(a, m, random);
            foreach (var arch in new[] { a, b, m, c })
            {
                // Round trip through the validating constructor: throws on any invalid value.
                Arch.Create(
                    arch.KernelSizes.ToArray().Select(x => (int)x).ToArray(),
                    arch.ExpandRatios.ToArray().Select(x => (int)x).ToArray(),
                    arch.Depths.ToArray().Select(x => (int)x).ToArray(),
                    arch.Resolution).ShouldBe(arch);
            }
        }).QuickCheckThrowOnFailure();
    }
}
