using LatencyGate.Adaptation;
using LatencyGate.Predictors;
using LatencyGate.Randomness;
using LatencyGate.Spaces;
using Shouldly;
using Xunit;

namespace LatencyGate.Tests.Adaptation;

/// <summary>LG0206: asking for more shots than there are measurements is said, not silently absorbed.</summary>
public sealed class ShotsCappedTests
{
    [Theory]
    [InlineData(12, 13, true)]
    [InlineData(12, 500, true)]
    [InlineData(12, 12, false)]
    [InlineData(12, 6, false)]
    [InlineData(12, null, false)]
    public void More_shots_than_measurements_warn_and_use_every_measurement(int measured, int? shots, bool warns)
    {
        var basePredictor = PredictorLoader.Load(OfaSpace.W12, "builtin:note10", null);
        var sampler = new ArchSampler([192]);
        var random = new SeededRandom(17);
        var archs = Enumerable.Range(0, 10 * measured).Select(_ => sampler.Sample(random)).Distinct().Take(measured).ToArray();
        var data = archs.Select(a => (a, 1.7 * basePredictor.PredictAll([a])[0])).ToArray();

        var outcome = AdaptationRun.Run([basePredictor], data, "affine", shots, 5);

        outcome.Shots.ShouldBe(Math.Min(shots ?? measured, measured));
        if (warns)
        {
            outcome.ShotsWarning.ShouldNotBeNull();
            outcome.ShotsWarning.ShouldContain($"{shots} shots asked for, but the measurements hold {measured} distinct archs");
            outcome.Report.ShouldContain(l => l.StartsWith(AdaptationRun.ShotsWarningNote, StringComparison.Ordinal));
        }
        else
        {
            outcome.ShotsWarning.ShouldBeNull();
            outcome.Report.ShouldNotContain(l => l.Contains("LG0206", StringComparison.Ordinal));
        }
    }
}
