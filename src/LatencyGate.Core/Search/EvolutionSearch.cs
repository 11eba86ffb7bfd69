using System.Globalization;
using LatencyGate.Diagnostics;
using LatencyGate.Randomness;
using LatencyGate.Spaces;

namespace LatencyGate.Search;

/// <summary>
/// Entry point of the search part: <see cref="Run"/> takes a <see cref="SearchRequest"/> and
/// returns a <see cref="SearchResult"/>. Work is split into units (a device, all devices at once,
/// or a device and one budget of a sweep); every unit gets its own random stream, forked from the
/// seed by unit index before any work starts, and its own evaluator cache, so units run in
/// parallel and the result is the same bytes whatever the thread count.
/// </summary>
internal static class EvolutionSearch
{
    public const string SharedTarget = "shared";

    /// <exception cref="LatencyGateException">
    /// LG0300 (exit code 1) when a budget cannot be met by any sub-network; LG0301–LG0306 (exit
    /// code 2) for an invalid request.
    /// </exception>
    public static SearchResult Run(SearchRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        Validate(request);
        var units = Units(request);
        var degree = request.MaxDegreeOfParallelism > 0 ? request.MaxDegreeOfParallelism : Environment.ProcessorCount;
        var inner = Math.Max(1, degree / units.Count);
        var sampler = new ArchSampler(request.Resolutions);

        var root = new SeededRandom(request.Seed);
        var streams = units.Select((_, i) => root.Fork((ulong)i)).ToArray();
        var probeStreams = streams.Select(s => s.Fork(0)).ToArray();
        var evaluators = units.Select(u => new CandidateEvaluator(u.Constraints, request.Confidence, request.Objective, inner)).ToArray();
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = degree, CancellationToken = cancellationToken };

        var reports = new FeasibilityReport[units.Count];
        UserErrors.Rethrowing(() => Parallel.For(0, units.Count, parallel, i => reports[i] = FeasibilityCheck.Run(evaluators[i], sampler, probeStreams[i])));
        ThrowIfInfeasible(request, units, reports);

        request.Tally?.Expect(reports.Count(r => r.IsFeasible) * request.Options.Restarts * request.Options.Generations);
        var outcomes = new SearchOutcome?[units.Count];
        UserErrors.Rethrowing(() => Parallel.For(0, units.Count, parallel, i =>
        {
            if (!reports[i].IsFeasible)
            {
                return;
            }

            var best = RunUnit(evaluators[i], sampler, request, streams[i], reports[i].Feasible, cancellationToken);
            outcomes[i] = new SearchOutcome(units[i].Target, evaluators[i].Describe(best), evaluators[i].ScoreEvaluations, evaluators[i].LatencyEvaluations);
        }));

        var found = outcomes.OfType<SearchOutcome>().ToArray();
        var skipped = new List<SkippedBudget>();
        for (var i = 0; i < units.Count; i++)
        {
            if (!reports[i].IsFeasible)
            {
                var c = reports[i].Closest[0];
                skipped.Add(new SkippedBudget(units[i].Target, c.Constraint.BudgetMs, c.Ms));
            }
        }

        var fronts = request.Mode == SearchMode.Sweep
            ? request.Devices.Select(d => Pareto.Front(d.Name, found.Where(o => o.Target == d.Name))).ToArray()
            : [];
        return new SearchResult(request.Mode, request.Objective.Description, request.Seed, request.Confidence, request.Options, found, fronts, skipped)
        {
            ScoreIsMacs = request.Objective is MacsProxyObjective,
        };
    }

    private static Arch RunUnit(CandidateEvaluator evaluator, ArchSampler sampler, SearchRequest request, SeededRandom stream, IReadOnlyList<Arch> seeds, CancellationToken cancellationToken)
    {
        var options = request.Options;
        var restartStreams = Enumerable.Range(0, options.Restarts).Select(r => stream.Fork((ulong)r + 1)).ToArray();
        var localStream = stream.Fork(ulong.MaxValue);
        Arch? best = null;
        var bestScore = double.NegativeInfinity;
        foreach (var restartStream in restartStreams)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var candidate = EvolutionRun.Run(evaluator, sampler, options, restartStream, seeds, request.Tally, cancellationToken);
            var score = evaluator.Score(candidate);
            if (score > bestScore)
            {
                best = candidate;
                bestScore = score;
            }
        }

        if (options.LocalSearch)
        {
            best = LocalSearch.Iterate(evaluator, sampler, best!, options, localStream, cancellationToken);
        }

        return best!;
    }

    private static void ThrowIfInfeasible(SearchRequest request, IReadOnlyList<WorkUnit> units, FeasibilityReport[] reports)
    {
        if (request.ReportInfeasible)
        {
            return;
        }

        var errors = new DiagnosticBag();
        if (request.Mode == SearchMode.Sweep)
        {
            // A sweep skips the budgets below reach; it fails only for a device where none is reachable.
            foreach (var device in request.Devices)
            {
                var mine = Enumerable.Range(0, units.Count).Where(i => units[i].Target == device.Name).ToArray();
                if (mine.All(i => !reports[i].IsFeasible))
                {
                    var tightest = mine.MaxBy(i => units[i].Constraints[0].BudgetMs);
                    errors.Error(SearchErrors.Infeasible, FeasibilityCheck.Describe(reports[tightest], request.Confidence));
                }
            }
        }
        else
        {
            for (var i = 0; i < units.Count; i++)
            {
                if (!reports[i].IsFeasible)
                {
                    errors.Error(SearchErrors.Infeasible, FeasibilityCheck.Describe(reports[i], request.Confidence));
                }
            }
        }

        errors.ThrowIfErrors(ExitCode.GateFailed);
    }

    private static List<WorkUnit> Units(SearchRequest request)
    {
        LatencyConstraint Constraint(SearchDevice d, double budget) => new(d.Name, d.Predictor, budget);
        return request.Mode switch
        {
            SearchMode.PerDevice => request.Devices.Select(d => new WorkUnit(d.Name, [Constraint(d, d.BudgetMs)])).ToList(),
            SearchMode.Shared => [new WorkUnit(SharedTarget, request.Devices.Select(d => Constraint(d, d.BudgetMs)).ToArray())],
            _ => request.Devices
                .SelectMany(d => (d.Sweep ?? request.Sweep)!.Budgets().Select(b => new WorkUnit(d.Name, [Constraint(d, b)])))
                .ToList(),
        };
    }

    private static void Validate(SearchRequest request)
    {
        request.Options.Validate();
        var errors = new DiagnosticBag();
        if (request.Devices.Count == 0)
        {
            errors.Error(SearchErrors.InvalidDevice, "a search needs at least one device");
        }

        foreach (var group in request.Devices.GroupBy(d => d.Name, StringComparer.Ordinal).Where(g => g.Count() > 1))
        {
            errors.Error(SearchErrors.InvalidDevice, $"device '{group.Key}' appears {group.Count()} times; device names must be unique");
        }

        if (request.Devices.Count > 0 && request.Devices.Select(d => d.Predictor.Space).Distinct().Count() > 1)
        {
            errors.Error(SearchErrors.MixedSpaces, "devices of one search use different spaces (" + string.Join(", ", request.Devices.Select(d => $"'{d.Name}': {d.Predictor.Space.Name}")) + "); search them separately");
        }

        foreach (var d in request.Devices)
        {
            if (request.Mode != SearchMode.Sweep && !(d.BudgetMs > 0 && double.IsFinite(d.BudgetMs)))
            {
                errors.Error(SearchErrors.InvalidDevice, Text($"device '{d.Name}' has budget {d.BudgetMs} ms; expected a positive number"));
            }

            if (request.Mode == SearchMode.Sweep)
            {
                var sweep = d.Sweep ?? request.Sweep;
                if (sweep is null)
                {
                    errors.Error(SearchErrors.InvalidSweep, $"sweep mode needs a budget range for device '{d.Name}'");
                }
                else if (!(sweep.MinMs > 0) || !(sweep.MaxMs >= sweep.MinMs) || !double.IsFinite(sweep.MaxMs) || sweep.Steps < 1)
                {
                    errors.Error(SearchErrors.InvalidSweep, Text($"device '{d.Name}' sweeps {sweep.MinMs}..{sweep.MaxMs} ms in {sweep.Steps} steps; expected 0 < min <= max and at least 1 step"));
                }
            }

            foreach (var r in request.Resolutions.Where(r => !d.Predictor.Space.SupportsResolution(r)))
            {
                errors.Error(SearchErrors.InvalidResolution, Text($"resolution {r} is not in space {d.Predictor.Space.Name} of device '{d.Name}' ({d.Predictor.Space.DescribeResolutions()})"));
            }
        }

        if (request.Resolutions.Count == 0)
        {
            errors.Error(SearchErrors.InvalidResolution, "a search needs at least one resolution");
        }

        if (request.Confidence is { } c && !(c > 0 && c < 1))
        {
            errors.Error(SearchErrors.InvalidConfidence, Text($"confidence is {c}; expected a fraction in (0, 1), e.g. 0.95"));
        }

        errors.ThrowIfErrors();
    }

    private static string Text(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);

    private sealed record WorkUnit(string Target, IReadOnlyList<LatencyConstraint> Constraints);
}
