using System.Diagnostics;
using System.Globalization;
using LatencyGate.Diagnostics;
using LatencyGate.Manifest;
using LatencyGate.Predictors;
using LatencyGate.Search;
using LatencyGate.Spaces;

namespace LatencyGate.Gating;

/// <summary>
/// Search mode of the gate. Per device: each device's most accurate arch within its budget (devices
/// in parallel, each search deterministic on its own). A device whose predictor comes from a proxy
/// device is not searched: the proxy's accuracy/latency Pareto front is re-ranked on the target with
/// the adapted predictor (OneProxy). Shared: one arch meeting every budget at once.
/// Search aims under the budget less the warn margin, so a chosen arch passes with headroom; only
/// when nothing fits there does it take the whole budget (and the verdict is warn).
/// </summary>
internal static class GateSearch
{
    /// <summary>Budgets of the proxy's sweep: enough points to re-rank, few enough to stay fast.</summary>
    private const int ProxySweepSteps = 8;

    /// <summary>Random archs that map the target's budget onto the proxy's latency scale.</summary>
    private const int BudgetMappingArchs = 64;

    public static IReadOnlyList<DeviceResult> Run(GateContext context)
    {
        var settings = context.Manifest.Search!;
        var options = Options(settings);
        return settings.Mode.Value == SearchMode.Shared
            ? Shared(context, settings, options)
            : PerDevice(context, settings, options);
    }

    /// <summary>The manifest's search settings as evolution options (thorough adds restarts and local search).</summary>
    public static EvolutionOptions Options(SearchSettings settings) =>
        (settings.Thorough.Value ? EvolutionOptions.Thorough : EvolutionOptions.Ofa) with
        {
            PopulationSize = settings.Population.Value,
            Generations = settings.Generations.Value,
            ParentRatio = settings.ParentRatio.Value,
            MutationRatio = settings.MutationRatio.Value,
            MutationProbability = settings.MutationProbability.Value,
        };

    private static SearchRequest Request(GateContext context, SearchSettings settings, EvolutionOptions options, IReadOnlyList<SearchDevice> devices, double? confidence) =>
        new(devices, context.Objective, settings.Resolutions.Value)
        {
            Options = options,
            Seed = settings.Seed.Value,
            Confidence = confidence,
            ReportInfeasible = true,
            MaxDegreeOfParallelism = 1,
            Tally = context.Searching,
        };

    private static IReadOnlyList<DeviceResult> PerDevice(GateContext context, SearchSettings settings, EvolutionOptions options)
    {
        var results = new DeviceResult[context.Devices.Count];
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = context.Degree, CancellationToken = context.CancellationToken };
        var direct = Enumerable.Range(0, results.Length).Where(i => context.Predictors[context.Devices[i].Name.Value].Proxy is null).ToArray();
        UserErrors.Rethrowing(() => Parallel.ForEach(direct, parallel, i =>
        {
            var watch = Stopwatch.StartNew();
            var device = context.Devices[i];
            var built = context.Predictors[device.Name.Value];
            var (outcome, smallest, aim) = SearchOne(context, settings, options, device);
            results[i] = outcome is not null
                ? Decide(context, settings, device, built, outcome.Best.Arch, built.Notes, watch) with { SearchTargetMs = aim }
                : DeviceResults.NoArchFits(device, smallest, built.Description, watch.Elapsed.TotalSeconds);
        }));

        var proxied = Enumerable.Range(0, results.Length).Except(direct).ToArray();
        UserErrors.Rethrowing(() => Parallel.ForEach(proxied, parallel, i => results[i] = ViaProxy(context, settings, options, context.Devices[i])));
        return results;
    }

    /// <summary>
    /// One device's search as the gate runs it (the search command too, so both choose the same arch):
    /// under the budget less the warn margin, then under the whole budget if nothing fits there. The
    /// outcome's latencies are against the whole budget; null and the smallest reachable when nothing fits.
    /// </summary>
    internal static (SearchOutcome? Outcome, double SmallestReachableMs, double AimMs) SearchOne(GateContext context, SearchSettings settings, EvolutionOptions options, DeviceSpec device)
    {
        var built = context.Predictors[device.Name.Value];
        SearchResult SearchUnder(double budgetMs) => EvolutionSearch.Run(
            Request(context, settings, options, [new SearchDevice(device.Name.Value, built.Predictor, budgetMs)], device.Confidence?.Value),
            context.CancellationToken);
        var aim = Target(device);
        var result = SearchUnder(aim);
        if (result.Outcomes.Count == 0 && aim < device.BudgetMs.Value)
        {
            aim = device.BudgetMs.Value;
            result = SearchUnder(aim);
        }

        if (result.Outcomes.Count == 0)
        {
            return (null, result.Skipped[0].SmallestReachableMs, aim);
        }

        var o = result.Outcomes[0];
        var whole = o.Best.Latencies.Select(l => l with { BudgetMs = device.BudgetMs.Value }).ToArray();
        return (o with { Best = o.Best with { Latencies = whole } }, 0, aim);
    }

    /// <summary>
    /// OneProxy: search once on the proxy over a sweep of its budgets, then keep the most accurate
    /// point of the proxy's Pareto front that fits the target by the target's (adapted) predictor.
    /// </summary>
    private static DeviceResult ViaProxy(GateContext context, SearchSettings settings, EvolutionOptions options, DeviceSpec device)
    {
        var watch = Stopwatch.StartNew();
        var built = context.Predictors[device.Name.Value];
        var proxyName = built.Proxy!.ProxyDevice;
        var proxyPredictor = ProxyPredictor(context, proxyName);
        var sweep = ProxySweep(proxyPredictor, built.Predictor, Target(device), settings.Resolutions.Value, settings.Seed.Value);
        var result = EvolutionSearch.Run(
            Request(context, settings, options, [new SearchDevice(proxyName, proxyPredictor, sweep.MaxMs, sweep)], null) with { Mode = SearchMode.Sweep },
            context.CancellationToken);
        var candidates = result.Fronts.SelectMany(f => f.Points).Select(p => p.Best.Arch).Distinct().ToArray();
        if (candidates.Length == 0)
        {
            return DeviceResults.NoArchFits(device, double.PositiveInfinity, built.Description, watch.Elapsed.TotalSeconds);
        }

        var estimates = new LatencyEstimate[candidates.Length];
        built.Predictor.PredictWithInterval(candidates, device.Confidence?.Value ?? 0.9, estimates);
        var scores = new double[candidates.Length];
        context.Objective.Score(candidates, scores);
        int Best(double limitMs)
        {
            var best = -1;
            for (var j = 0; j < candidates.Length; j++)
            {
                var gated = device.Confidence is null ? estimates[j].Ms : estimates[j].UpperMs;
                if (gated <= limitMs && (best < 0 || scores[j] > scores[best]))
                {
                    best = j;
                }
            }

            return best;
        }

        var aim = Target(device);
        var best = Best(aim);
        if (best < 0)
        {
            aim = device.BudgetMs.Value;
            best = Best(aim);
        }

        var note = string.Create(
            CultureInfo.InvariantCulture,
            $"searched once on proxy '{proxyName}' ({candidates.Length} Pareto points over {sweep.MinMs:0.00}–{sweep.MaxMs:0.00} ms), re-ranked here with the adapted predictor");
        if (best < 0)
        {
            var smallest = estimates.Min(e => device.Confidence is null ? e.Ms : e.UpperMs);
            return DeviceResults.NoArchFits(device, smallest, built.Description, watch.Elapsed.TotalSeconds) with { Notes = [note, .. built.Notes] };
        }

        return Decide(context, settings, device, built, candidates[best], [note, .. built.Notes], watch) with { SearchTargetMs = aim };
    }

    private static double Target(DeviceSpec device) => Aim(device.BudgetMs.Value, device.WarnMargin.Value);

    /// <summary>The budget less the warn margin: where a chosen arch passes rather than warns (the whole budget when the margin leaves nothing).</summary>
    internal static double Aim(double budgetMs, WarnMargin margin)
    {
        var headroom = budgetMs - margin.MillisecondsFor(budgetMs);
        return headroom > 0 ? headroom : budgetMs;
    }

    private static ILatencyPredictor ProxyPredictor(GateContext context, string proxyName) =>
        context.Predictors.TryGetValue(proxyName, out var proxy)
            ? proxy.Predictor
            : throw new InvalidOperationException($"proxy '{proxyName}' was not built");

    /// <summary>
    /// Proxy budgets around the target's budget carried onto the proxy's scale (by the median
    /// target/proxy latency ratio over random archs), from 80 % to 105 % of it: dense where the
    /// re-ranking will choose, and never below the proxy's smallest sub-network.
    /// </summary>
    private static SweepRange ProxySweep(ILatencyPredictor proxy, ILatencyPredictor target, double targetBudgetMs, IReadOnlyList<int> resolutions, ulong seed)
    {
        var sampler = new ArchSampler(resolutions);
        var random = new Randomness.SeededRandom(seed ^ 0x5EED_9A0C_5EEDUL);
        var archs = new Arch[BudgetMappingArchs + 1];
        for (var i = 0; i < BudgetMappingArchs; i++)
        {
            archs[i] = sampler.Sample(random);
        }

        archs[^1] = FeasibilityCheck.SmallestArch(resolutions.Min());
        var onProxy = new double[archs.Length];
        var onTarget = new double[archs.Length];
        proxy.Predict(archs, onProxy);
        target.Predict(archs, onTarget);
        var ratios = onTarget.Zip(onProxy, (t, p) => t / p).Take(BudgetMappingArchs).Order().ToArray();
        var ratio = ratios[ratios.Length / 2];
        var mapped = targetBudgetMs / ratio;
        var floor = onProxy[^1] * 1.01;
        var low = Math.Max(floor, 0.8 * mapped);
        return new SweepRange(low, Math.Max(low * 1.01, 1.05 * mapped), ProxySweepSteps);
    }

    private static IReadOnlyList<DeviceResult> Shared(GateContext context, SearchSettings settings, EvolutionOptions options)
    {
        var watch = Stopwatch.StartNew();
        // One arch for every device: the strictest confidence asked for applies to all of them.
        var confidences = context.Devices.Where(d => d.Confidence is not null).Select(d => d.Confidence!.Value).ToArray();
        double? confidence = confidences.Length > 0 ? confidences.Max() : null;
        SearchResult SearchUnder(Func<DeviceSpec, double> budget) => EvolutionSearch.Run(
            Request(context, settings, options, context.Devices.Select(d => new SearchDevice(d.Name.Value, context.Predictors[d.Name.Value].Predictor, budget(d))).ToArray(), confidence) with
            {
                Mode = SearchMode.Shared,
                MaxDegreeOfParallelism = context.Degree,
            },
            context.CancellationToken);
        Func<DeviceSpec, double> aim = Target;
        var result = SearchUnder(aim);
        if (result.Outcomes.Count == 0)
        {
            aim = d => d.BudgetMs.Value;
            result = SearchUnder(aim);
        }

        if (result.Outcomes.Count == 0)
        {
            var smallest = result.Skipped.Count > 0 ? result.Skipped[0].SmallestReachableMs : double.PositiveInfinity;
            return context.Devices.Select(d => DeviceResults.NoArchFits(d, smallest, context.Predictors[d.Name.Value].Description, watch.Elapsed.TotalSeconds)).ToArray();
        }

        var arch = result.Outcomes[0].Best.Arch;
        var note = "one arch shared by every device (search mode: shared)";
        return context.Devices.Select(d => Decide(context, settings, d, context.Predictors[d.Name.Value], arch, [note, .. context.Predictors[d.Name.Value].Notes], watch) with { SearchTargetMs = aim(d) }).ToArray();
    }

    private static DeviceResult Decide(GateContext context, SearchSettings settings, DeviceSpec device, BuiltPredictor built, Arch arch, IReadOnlyList<string> notes, Stopwatch watch)
    {
        var estimate = ShippedModelCheck.Estimate(built.Predictor, arch, device.Confidence?.Value);
        return DeviceResults.Predicted(
            device,
            estimate,
            device.Confidence is null ? IntervalMethod.None : built.Predictor.IntervalMethod,
            built.Description,
            arch,
            context.AccuracyOf(arch),
            context.AccuracySource,
            settings.AccuracyFloor,
            notes,
            watch.Elapsed.TotalSeconds);
    }
}
