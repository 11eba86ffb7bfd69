using Shouldly;
using Xunit;

namespace LatencyGate.Tests.Hostile;

/// <summary>Issue 18, round 7: what its sweep found (outputs that are inputs, counts past what can be allocated, rows and columns read silently, files init wrote broken).</summary>
public sealed class HostileRound7Tests
{
    [Theory]
    [InlineData("2147483647")]
    [InlineData("1000001")]
    public void A_sample_count_no_list_can_hold_is_LG0902_not_an_internal_error(string count)
    {
        // int.MaxValue asked the sampler for a List it could not allocate: OutOfMemoryException, exit 3.
        Hostile.Run("sample", "--space", Hostile.Space, "--count", count).ShouldFailWith("LG0902").ShouldContain("between 1 and 1000000");
    }
}
