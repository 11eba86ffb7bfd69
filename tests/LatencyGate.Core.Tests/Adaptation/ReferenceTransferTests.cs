using LatencyGate.Adaptation;
using LatencyGate.Adaptation.Features;
using LatencyGate.Spaces;
using Shouldly;

namespace LatencyGate.Tests.Adaptation;

/// <summary>Fast versions of the benchmark's key checks (one seed, small sets): the full figures come from the benchmark program.</summary>
public sealed class ReferenceTransferTests
{
    [ReferenceDataFact]
    public void Note10_to_rtx_with_10_shots_beats_the_affine_rescale_and_the_paper_floor()
    {
        var (archs, note10, rtx, _) = AdaptationTestData.PaperPaired();
        var source = LinearLatencyModel.Fit(new StructuredFeatures(OfaSpace.W10), OfaSpace.W10, AdaptationTestData.Shots(archs, note10, Enumerable.Range(0, 3000)), "Note10");
        var shots = AdaptationTestData.Shots(archs, rtx, Enumerable.Range(100, 10));
        var test = Enumerable.Range(9500, 500);
        var adaproxy = AdaptationTestData.Mae(new AdaProxyStrategy().Adapt(source, shots, 1), archs, rtx, test);
        var affine = AdaptationTestData.Mae(new AffineStrategy().Adapt(source, shots, 1), archs, rtx, test);
        adaproxy.ShouldBeLessThan(affine);
        adaproxy.ShouldBeLessThan(0.713);
    }
}
