using FsCheck;
using FsCheck.Fluent;
using LatencyGate.Diagnostics;
using LatencyGate.Randomness;
using LatencyGate.Spaces;
using Shouldly;
using Xunit;

namespace LatencyGate.Tests.Spaces;

/// <summary>The arch key the tool prints is read back wherever an arch is accepted.</summary>
public sealed class ArchKeyTests
{
    private const string Key = "r192-d23232-k35|553|53|553|53-e34|443|43|443|44";

    [Fact]
    public void Every_sampled_arch_round_trips_through_its_key()
    {
        var sampler = new ArchSampler(OfaSpace.W12.Resolutions);
        Prop.ForAll(ArbMap.Default.ArbFor<ulong>(), seed =>
        {
            var arch = sampler.Sample(new SeededRandom(seed));
            var back = ArchKey.Parse(arch.CanonicalKey, OfaSpace.W12);
            return back.CanonicalKey == arch.CanonicalKey && back.Equals(arch) && ArchJson.Parse(arch.CanonicalKey, OfaSpace.W12).Equals(arch);
        }).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void A_key_is_the_same_network_as_its_json()
    {
        var fromKey = ArchJson.Parse(Key, OfaSpace.W10);
        fromKey.Resolution.ShouldBe(192);
        fromKey.Depths.ToArray().ShouldBe(new byte[] { 2, 3, 2, 3, 2 });
        ArchJson.Parse(ArchJson.Write(fromKey), OfaSpace.W10).CanonicalKey.ShouldBe(Key);
    }

    [Fact]
    public void Any_mangled_key_is_a_coded_error_never_a_crash()
    {
        var edits = Gen.Choose(0, Key.Length - 1).SelectMany(i => Gen.Elements('0', '1', '9', '|', '-', 'x', ' ').Select(c => (i, c)));
        Prop.ForAll(edits.ToArbitrary(), edit =>
        {
            var mangled = Key[..edit.i] + edit.c + Key[(edit.i + 1)..];
            try
            {
                ArchKey.Parse(mangled, OfaSpace.W12, new SourceLocation("k"));
                return true;
            }
            catch (LatencyGateException ex)
            {
                return ex.Diagnostics.Count > 0 && ex.Diagnostics.All(d => d.Code is "LG0001" or "LG0004");
            }
        }).QuickCheckThrowOnFailure();
    }

    [Theory]
    [InlineData("r192-d2323-k35|553|53|553|53-e34|443|43|443|44", "5 digits")]
    [InlineData("r192-d23232-k35|553|53|553-e34|443|43|443|44", "4 stage(s)")]
    [InlineData("r192-d23232-k35|55|53|553|53-e34|443|43|443|44", "stage 1 are '55'; expected 3 digit(s)")]
    [InlineData("r193-d23232-k35|553|53|553|53-e34|443|43|443|44", "'r' (resolution) is 193")]
    [InlineData("r192-d23232-k35|553|53|553|59-e34|443|43|443|44", "'ks'")]
    public void Errors_say_what_the_key_should_hold(string key, string expected)
    {
        var ex = Should.Throw<LatencyGateException>(() => ArchKey.Parse(key, OfaSpace.W12, new SourceLocation("--arch")));
        ex.Diagnostics.ShouldContain(d => d.Message.Contains(expected, StringComparison.Ordinal), string.Join("\n", ex.Diagnostics));
    }
}
