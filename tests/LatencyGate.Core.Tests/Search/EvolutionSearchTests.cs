using System.Text;
using System.Text.Json;
using LatencyGate.Diagnostics;
using LatencyGate.Randomness;
using LatencyGate.Reporting;
using LatencyGate.Search;
using LatencyGate.Spaces;
using Shouldly;
using Xunit;

namespace LatencyGate.Tests.Search;

public sealed class EvolutionSearchTests
{
    private static readonly int[] Tutorial = [160, 176, 192, 208, 224];

    private static readonly EvolutionOptions Short = EvolutionOptions.Ofa with { Generations = 40 };

    private static SearchRequest Request(double budget, EvolutionOptions? options = null, params SearchDevice[] extra) =>
        new([new SearchDevice("phone", new AdditiveLatency(1.0), budget), .. extra], new RecordingObjective(), Tutorial)
        {
            Seed = 7,
            Options = options ?? Short,
        };

    [Fact]
    public void Defaults_are_OFAs()
    {
        var o = EvolutionOptions.Ofa;
        (o.PopulationSize, o.Generations, o.ParentRatio, o.MutationRatio, o.MutationProbability).ShouldBe((100, 500, 0.25, 0.5, 0.1));
        (o.ParentCount, o.MutationCount, o.Restarts, o.LocalSearch).ShouldBe((25, 50, 1, false));
    }

    [Fact]
    public void Best_arch_fits_the_budget_and_beats_the_best_of_many_random_feasible_archs()
    {
        var result = EvolutionSearch.Run(Request(25));
        var best = result.Outcomes.ShouldHaveSingleItem().Best;
        best.Latencies[0].LatencyMs.ShouldBeLessThanOrEqualTo(25);
        best.Accuracy.ShouldBe(RecordingObjective.Value(best.Arch));

        var sampler = new ArchSampler(Tutorial);
        var random = new SeededRandom(99);
        var bestRandom = Enumerable.Range(0, 5000).Select(_ => sampler.Sample(random))
            .Where(a => AdditiveLatency.Raw(a, true) <= 25)
            .Max(RecordingObjective.Value);
        best.Accuracy.ShouldBeGreaterThan(bestRandom);
    }

    [Fact]
    public void Evolution_uses_the_budget_it_is_given()
    {
        var result = EvolutionSearch.Run(Request(25));
        result.Outcomes[0].Best.Latencies[0].LatencyMs.ShouldBeGreaterThan(25 * 0.95);
    }

    [Fact]
    public void No_arch_is_scored_twice_and_scoring_is_batched()
    {
        var request = Request(25);
        var objective = (RecordingObjective)request.Objective;
        var result = EvolutionSearch.Run(request);
        objective.Scored.Distinct().Count().ShouldBe(objective.Scored.Count);
        result.Outcomes[0].Evaluations.ShouldBe(objective.Scored.Count);

        // One call per generation plus the initial population (chunks of at most 64 archs).
        objective.BatchSizes.Count.ShouldBeLessThanOrEqualTo(2 * (Short.Generations + 1));
        objective.BatchSizes.Max().ShouldBeLessThanOrEqualTo(64);
    }

    [Fact]
    public void Latency_predictions_are_batched_per_round()
    {
        var predictor = new AdditiveLatency(1.0);
        var request = new SearchRequest([new SearchDevice("phone", predictor, 25)], new RecordingObjective(), Tutorial) { Seed = 3, Options = Short };
        EvolutionSearch.Run(request);

        // Every generation breeds 100 children in a few batched rounds, not 100+ single calls.
        predictor.Calls.ShouldBeLessThan(Short.Generations * 20);
    }

    [Fact]
    public void Same_seed_gives_the_same_bytes_with_one_and_two_threads_in_every_mode()
    {
        foreach (var mode in new[] { SearchMode.PerDevice, SearchMode.Shared, SearchMode.Sweep })
        {
            SearchRequest Make(int threads) => new(
                [
                    new SearchDevice("a", new AdditiveLatency(1.0), 25),
                    new SearchDevice("b", new AdditiveLatency(1.7), 40),
                    new SearchDevice("c", new AdditiveLatency(0.6, 0.1), 15),
                ],
                new RecordingObjective(),
                Tutorial)
            {
                Mode = mode,
                Seed = 11,
                Options = Short with { Generations = 15 },
                Sweep = new SweepRange(8, 40, 3),
                MaxDegreeOfParallelism = threads,
            };

            var one = SearchResultWriter.ToJson(EvolutionSearch.Run(Make(1)));
            var two = SearchResultWriter.ToJson(EvolutionSearch.Run(Make(2)));
            Encoding.UTF8.GetString(two).ShouldBe(Encoding.UTF8.GetString(one), mode.ToString());
        }
    }

    [Fact]
    public void Different_seeds_explore_differently()
    {
        var a = EvolutionSearch.Run(Request(25, Short with { Generations = 3 }));
        var b = EvolutionSearch.Run(Request(25, Short with { Generations = 3 }) with { Seed = 8 });
        a.Outcomes[0].Best.Arch.ShouldNotBe(b.Outcomes[0].Best.Arch);
    }

    [Fact]
    public void An_infeasible_budget_fails_fast_naming_the_smallest_latency_reachable()
    {
        var smallest = AdditiveLatency.Raw(FeasibilityCheck.SmallestArch(160), true);
        var ex = Should.Throw<LatencyGateException>(() => EvolutionSearch.Run(Request(smallest * 0.9, EvolutionOptions.Ofa)));
        ex.ExitCode.ShouldBe(ExitCode.GateFailed);
        var d = ex.Diagnostics.ShouldHaveSingleItem();
        d.Code.ShouldBe("LG0300");
        d.Message.ShouldContain("'phone'");
        d.Message.ShouldContain(smallest.ToString("0.###", System.Globalization.CultureInfo.InvariantCulture) + " ms");
    }

    [Fact]
    public void A_budget_only_the_smallest_arch_meets_ends_with_that_arch()
    {
        var smallestArch = FeasibilityCheck.SmallestArch(160);
        var budget = AdditiveLatency.Raw(smallestArch, true);
        var result = EvolutionSearch.Run(Request(budget, EvolutionOptions.Ofa with { Generations = 5 }));
        result.Outcomes[0].Best.Arch.ShouldBe(smallestArch);
    }

    [Fact]
    public void Random_probing_finds_feasible_archs_when_the_smallest_one_is_not()
    {
        var device = new SearchDevice("odd", new AdditiveLatency(1.0, monotone: false), 12);
        var request = new SearchRequest([device], new RecordingObjective(), Tutorial) { Options = Short with { Generations = 5 } };
        var best = EvolutionSearch.Run(request).Outcomes[0].Best;
        best.Latencies[0].LatencyMs.ShouldBeLessThanOrEqualTo(12);
    }

    [Fact]
    public void With_a_confidence_the_upper_bound_meets_the_budget()
    {
        var device = new SearchDevice("phone", new AdditiveLatency(1.0, intervalFraction: 0.2), 25);
        var request = new SearchRequest([device], new RecordingObjective(), Tutorial) { Confidence = 0.95, Options = Short };
        var l = EvolutionSearch.Run(request).Outcomes[0].Best.Latencies[0];
        l.UpperMs.ShouldBeLessThanOrEqualTo(25);
        l.UpperMs.ShouldBe(l.LatencyMs * 1.2, 1e-9);
        l.LatencyMs.ShouldBeLessThan(25 / 1.2 + 1e-9);
    }

    [Fact]
    public void Shared_mode_finds_one_arch_meeting_every_budget()
    {
        var request = Request(25, null, new SearchDevice("board", new AdditiveLatency(2.0), 40)) with { Mode = SearchMode.Shared };
        var outcome = EvolutionSearch.Run(request).Outcomes.ShouldHaveSingleItem();
        outcome.Target.ShouldBe("shared");
        outcome.Best.Latencies.Count.ShouldBe(2);
        outcome.Best.Latencies.ShouldAllBe(l => l.LatencyMs <= l.BudgetMs);

        // The board (2x slower, 40 ms) is the binding constraint: 20 ms of phone latency.
        outcome.Best.Latencies[0].LatencyMs.ShouldBeLessThanOrEqualTo(20);
    }

    [Fact]
    public void Shared_mode_fails_when_budgets_are_reachable_alone_but_never_together()
    {
        // One device is fast only at 160 px, the other only at 224 px: each budget alone is easy.
        var request = new SearchRequest(
            [new SearchDevice("low", new ResolutionBound(160), 50), new SearchDevice("high", new ResolutionBound(224), 50)],
            new RecordingObjective(),
            Tutorial)
        { Mode = SearchMode.Shared };
        var ex = Should.Throw<LatencyGateException>(() => EvolutionSearch.Run(request));
        ex.ExitCode.ShouldBe(ExitCode.GateFailed);
        var message = ex.Diagnostics.ShouldHaveSingleItem().Message;
        message.ShouldContain("no single sub-network meets every budget at once");
        message.ShouldContain("'low' alone reaches");
        message.ShouldContain("'high' alone reaches");
    }

    [Fact]
    public void Shared_mode_names_the_device_whose_budget_is_out_of_reach()
    {
        var smallest = AdditiveLatency.Raw(FeasibilityCheck.SmallestArch(160), true);
        var request = Request(smallest * 1.5, EvolutionOptions.Ofa, new SearchDevice("slow", new AdditiveLatency(3.0), smallest * 2)) with { Mode = SearchMode.Shared };
        var message = Should.Throw<LatencyGateException>(() => EvolutionSearch.Run(request)).Diagnostics.ShouldHaveSingleItem().Message;
        message.ShouldContain("on 'slow'");
        message.ShouldNotContain("on 'phone'");
    }

    [Fact]
    public void Sweep_gives_a_monotone_Pareto_front_and_skips_unreachable_budgets()
    {
        var request = Request(0, Short with { Generations = 20 }) with { Mode = SearchMode.Sweep, Sweep = new SweepRange(3, 60, 6) };
        var result = EvolutionSearch.Run(request);
        result.Skipped.ShouldHaveSingleItem().BudgetMs.ShouldBe(3);
        result.Outcomes.Count.ShouldBe(5);
        var points = result.Fronts.ShouldHaveSingleItem().Points;
        points.Count.ShouldBeGreaterThanOrEqualTo(3);
        for (var i = 1; i < points.Count; i++)
        {
            points[i].Best.Latencies[0].UpperMs.ShouldBeGreaterThanOrEqualTo(points[i - 1].Best.Latencies[0].UpperMs);
            points[i].Best.Accuracy.ShouldBeGreaterThan(points[i - 1].Best.Accuracy);
        }

        foreach (var o in result.Outcomes)
        {
            o.Best.Latencies[0].UpperMs.ShouldBeLessThanOrEqualTo(o.Best.Latencies[0].BudgetMs);
        }
    }

    [Fact]
    public void Thorough_finds_at_least_as_good_an_arch()
    {
        var ofa = EvolutionSearch.Run(Request(25, Short with { Generations = 20 })).Outcomes[0].Best;
        var thorough = EvolutionSearch.Run(Request(25, Short with { Generations = 20, Restarts = 2, LocalSearch = true })).Outcomes[0].Best;
        thorough.Accuracy.ShouldBeGreaterThanOrEqualTo(ofa.Accuracy);
        thorough.Latencies[0].LatencyMs.ShouldBeLessThanOrEqualTo(25);
    }

    [Fact]
    public void Local_search_climbs_to_a_local_optimum_of_one_and_two_gene_moves()
    {
        var evaluator = new CandidateEvaluator([new LatencyConstraint("phone", new AdditiveLatency(1.0), 25)], null, new RecordingObjective(), 1);
        var start = FeasibilityCheck.SmallestArch(160);
        var top = LocalSearch.Climb(evaluator, start, Tutorial, 100);
        evaluator.Fits(top).ShouldBeTrue();
        evaluator.Score(top).ShouldBeGreaterThan(evaluator.Score(start));
        LocalSearch.Climb(evaluator, top, Tutorial, 100).ShouldBe(top);
    }

    [Fact]
    public void Invalid_requests_are_coded_errors()
    {
        Code(Request(25, EvolutionOptions.Ofa with { PopulationSize = 1 })).ShouldBe("LG0301");
        Code(Request(25) with { Devices = [] }).ShouldBe("LG0302");
        Code(Request(-1)).ShouldBe("LG0302");
        Code(Request(25, null, new SearchDevice("phone", new AdditiveLatency(1), 30))).ShouldBe("LG0302");
        Code(Request(25) with { Resolutions = [161] }).ShouldBe("LG0303");
        Code(Request(25) with { Resolutions = [] }).ShouldBe("LG0303");
        Code(Request(25) with { Mode = SearchMode.Sweep }).ShouldBe("LG0304");
        Code(Request(25) with { Mode = SearchMode.Sweep, Sweep = new SweepRange(10, 5, 3) }).ShouldBe("LG0304");
        Code(Request(25) with { Confidence = 1.5 }).ShouldBe("LG0305");

        static string Code(SearchRequest r)
        {
            var ex = Should.Throw<LatencyGateException>(() => EvolutionSearch.Run(r));
            ex.ExitCode.ShouldBe(ExitCode.InvalidInput);
            return ex.Diagnostics[0].Code;
        }
    }

    [Fact]
    public void Writers_emit_OFA_archs_and_a_Pareto_CSV_that_read_back()
    {
        var request = Request(0, Short with { Generations = 5 }) with { Mode = SearchMode.Sweep, Sweep = new SweepRange(15, 30, 2) };
        var result = EvolutionSearch.Run(request);

        using var archs = JsonDocument.Parse(SearchResultWriter.ArchsToJson(result));
        var first = archs.RootElement.EnumerateObject().First();
        first.Name.ShouldBe("phone@15ms");
        ArchJson.Parse(first.Value.GetRawText(), OfaSpace.W12).ShouldBe(result.Outcomes[0].Best.Arch);

        var csv = Encoding.UTF8.GetString(SearchResultWriter.ParetoToCsv(result)).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        csv[0].ShouldBe("device,budget_ms,latency_ms,upper_ms,accuracy,arch");
        csv.Length.ShouldBe(1 + result.Fronts[0].Points.Count);
        csv[1].ShouldStartWith("phone,");

        using var full = JsonDocument.Parse(SearchResultWriter.ToJson(result));
        full.RootElement.GetProperty("mode").GetString().ShouldBe("sweep");
        full.RootElement.GetProperty("results").GetArrayLength().ShouldBe(2);
        using var pareto = JsonDocument.Parse(SearchResultWriter.ParetoToJson(result));
        pareto.RootElement.GetProperty("fronts")[0].GetProperty("device").GetString().ShouldBe("phone");
    }

    [Fact]
    public void MACs_proxy_scores_are_OFAs_MACs_in_millions()
    {
        var objective = MacsProxyObjective.For(OfaSpace.W12);
        var arch = FeasibilityCheck.SmallestArch(224);
        Span<double> score = stackalloc double[1];
        objective.Score([arch], score);
        score[0].ShouldBe(OfaMobileNetV3.Macs(arch, OfaSpace.W12) / 1e6);
        objective.Description.ShouldContain("MACs");
    }
}
