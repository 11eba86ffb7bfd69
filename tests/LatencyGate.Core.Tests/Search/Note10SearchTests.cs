using System.Diagnostics;
using System.Globalization;
using LatencyGate.Diagnostics;
using LatencyGate.Predictors;
using LatencyGate.Predictors.Lut;
using LatencyGate.Reporting;
using LatencyGate.Search;
using LatencyGate.Spaces;
using Shouldly;
using Xunit.Abstractions;

namespace LatencyGate.Tests.Search;

/// <summary>The must-show checks on real data: Note10 LUT, OFA's accuracy predictor, OFA's tutorial resolutions.</summary>
public sealed class Note10SearchTests(ITestOutputHelper output)
{
    private static readonly int[] Tutorial = [160, 176, 192, 208, 224];

    private static readonly Lazy<LookupTablePredictor> Note10 = new(() => LookupTablePredictor.Load(ReferenceData.PathOf("ofa-lut", "note10"), OfaSpace.W12));

    private static readonly Lazy<IAccuracyObjective> Accuracy = new(() => OfaReferenceAccuracy.Load());

    private static SearchRequest Request(double budget, ulong seed, EvolutionOptions options) =>
        new([new SearchDevice("note10", Note10.Value, budget)], Accuracy.Value, Tutorial) { Seed = seed, Options = options };

    [ReferenceDataFact]
    public void Accuracy_helper_reproduces_the_tutorials_81_71_percent()
    {
        var arch = ArchJson.Parse("""{"ks": [5,3,3,3,5,3,3,3,7,7,3,3,5,5,7,3,3,3,5,3], "e": [3,3,3,3,4,4,3,3,6,3,4,3,4,4,4,3,6,6,6,3], "d": [2,2,3,4,3], "r": [192]}""", OfaSpace.W12);
        Span<double> score = stackalloc double[1];
        Accuracy.Value.Score([arch], score);
        score[0].ShouldBe(0.8171285363428833, 1e-5);
    }

    [ReferenceDataFact]
    public void OFA_defaults_at_25_ms_match_OFAs_tutorial_and_stay_within_the_budget()
    {
        var accuracies = new List<double>();
        foreach (var seed in new ulong[] { 1, 2 })
        {
            var watch = Stopwatch.StartNew();
            var best = EvolutionSearch.Run(Request(25, seed, EvolutionOptions.Ofa)).Outcomes[0].Best;
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"seed {seed}: acc {best.Accuracy:F5} at {best.Latencies[0].LatencyMs:F3} ms in {watch.Elapsed.TotalSeconds:F2} s: {best.Arch}"));
            best.Latencies[0].LatencyMs.ShouldBeLessThanOrEqualTo(25);
            accuracies.Add(best.Accuracy);
        }

        accuracies.Average().ShouldBeGreaterThanOrEqualTo(0.8171);
    }

    [ReferenceDataFact]
    public void Thorough_at_25_ms_beats_OFAs_defaults()
    {
        var watch = Stopwatch.StartNew();
        var best = EvolutionSearch.Run(Request(25, 1, EvolutionOptions.Thorough)).Outcomes[0].Best;
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"thorough: acc {best.Accuracy:F5} at {best.Latencies[0].LatencyMs:F3} ms in {watch.Elapsed.TotalSeconds:F2} s: {best.Arch}"));
        best.Latencies[0].LatencyMs.ShouldBeLessThanOrEqualTo(25);
        best.Accuracy.ShouldBeGreaterThanOrEqualTo(0.8200);
    }

    [ReferenceDataFact]
    public void A_5_ms_budget_on_Note10_fails_with_the_smallest_latency_reachable()
    {
        var smallest = Note10.Value.Predict(FeasibilityCheck.SmallestArch(160));
        var ex = Should.Throw<LatencyGateException>(() => EvolutionSearch.Run(Request(5, 1, EvolutionOptions.Ofa)));
        ex.ExitCode.ShouldBe(ExitCode.GateFailed);
        var d = ex.Diagnostics.ShouldHaveSingleItem();
        d.Code.ShouldBe("LG0300");
        output.WriteLine(d.ToString());
        d.Message.ShouldContain(smallest.ToString("0.###", CultureInfo.InvariantCulture) + " ms");
    }

    [ReferenceDataFact]
    public void Real_predictors_give_the_same_bytes_with_one_and_two_threads()
    {
        var jetsonGpu = LookupTablePredictor.Load(ReferenceData.PathOf("ofa-lut", "dynamicofa-jetson_GPU"), OfaSpace.W12);
        SearchRequest Make(int threads, SearchMode mode) =>
            new([new SearchDevice("note10", Note10.Value, 25), new SearchDevice("jetson-gpu", jetsonGpu, 23)], Accuracy.Value, Tutorial)
            {
                Mode = mode,
                Seed = 5,
                Options = EvolutionOptions.Thorough with { Generations = 30, PerturbationRounds = 3 },
                MaxDegreeOfParallelism = threads,
            };

        foreach (var mode in new[] { SearchMode.PerDevice, SearchMode.Shared })
        {
            var one = SearchResultWriter.ToJson(EvolutionSearch.Run(Make(1, mode)));
            var two = SearchResultWriter.ToJson(EvolutionSearch.Run(Make(2, mode)));
            System.Text.Encoding.UTF8.GetString(two).ShouldBe(System.Text.Encoding.UTF8.GetString(one));
        }
    }
}
