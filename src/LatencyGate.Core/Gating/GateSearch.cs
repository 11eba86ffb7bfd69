using System.Diagnostics;
using System.Globalization;
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
/// </summary>
internal static class GateSearch
{
    /// <summary>Budgets of the proxy's sweep: enough points to re-rank, few enough to stay fast.</summary>
    private const int ProxySweepSteps = 8;

    public static IReadOnlyList<DeviceResult> Run(GateContext context)
    {
        var settings = context.Manifest.Search!;
        var options = Options(settings);
        return settings.Mode.Value == Manifest.SearchMode.Shared
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
        };

    private static IReadOnlyList<DeviceResult> PerDevice(GateContext context, SearchSettings settings, EvolutionOptions options)
    {
        var results = new DeviceResult[context.Devices.Count];
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = ShippedModelCheck.Degree(context), CancellationToken = context.CancellationToken };
        var direct = Enumerable.Range(0, results.Length).Where(i => context.Predictors[context.Devices[i].Name.Value].Proxy is null).ToArray();
        Parallel.ForEach(direct, parallel, i =>
        {
            var watch = Stopwatch.StartNew();
            var device = context.Devices[i];
            var built = context.Predictors[device.Name.Value];
            var result = EvolutionSearch.Run(
                Request(context, settings, options, [new SearchDevice(device.Name.Value, built.Predictor, device.BudgetMs.Value)], device.Confidence?.Value),
                context.CancellationToken);
            results[i] = result.Outcomes.Count > 0
                ? Decide(context, settings, device, built, result.Outcomes[0].Best.Arch, built.Notes, watch)
                : DeviceResults.NoArchFits(device, result.Skipped[0].SmallestReachableMs, built.Description, watch.Elapsed.TotalSeconds);
        });

        var proxied = Enumerable.Range(0, results.Length).Except(direct).ToArray();
        Parallel.ForEach(proxied, parallel, i => results[i] = ViaProxy(context, settings, options, context.Devices[i]));
        return results;
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
        var sweep = ProxySweep(proxyPredictor, settings.Resolutions.Value);
        var result = EvolutionSearch.Run(
            Request(context, settings, options, [new SearchDevice(proxyName, proxyPredictor, sweep.MaxMs, sweep)], null) with { Mode = Search.SearchMode.Sweep },
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
        var best = -1;
        for (var j = 0; j < candidates.Length; j++)
        {
            var gated = device.Confidence is null ? estimates[j].Ms : estimates[j].UpperMs;
            if (gated <= device.BudgetMs.Value && (best < 0 || scores[j] > scores[best]))
            {
                best = j;
            }
        }

        var note = string.Create(
            CultureInfo.InvariantCulture,
            $"searched once on proxy '{proxyName}' ({candidates.Length} Pareto points over {sweep.MinMs:0.00}–{sweep.MaxMs:0.00} ms), re-ranked here with the adapted predictor");
        if (best < 0)
        {
            var smallest = estimates.Min(e => device.Confidence is null ? e.Ms : e.UpperMs);
            return DeviceResults.NoArchFits(device, smallest, built.Description, watch.Elapsed.TotalSeconds) with { Notes = [note, .. built.Notes] };
        }

        return Decide(context, settings, device, built, candidates[best], [note, .. built.Notes], watch);
    }

    private static ILatencyPredictor ProxyPredictor(GateContext context, string proxyName) =>
        context.Predictors.TryGetValue(proxyName, out var proxy)
            ? proxy.Predictor
            : throw new InvalidOperationException($"proxy '{proxyName}' was not built");

    /// <summary>From the smallest sub-network's latency on the proxy to the largest's.</summary>
    private static SweepRange ProxySweep(ILatencyPredictor proxy, IReadOnlyList<int> resolutions)
    {
        var smallest = FeasibilityCheck.SmallestArch(resolutions.Min());
        var largest = Arch.Create(Enumerable.Repeat(7, Arch.SlotCount).ToArray(), Enumerable.Repeat(6, Arch.SlotCount).ToArray(), Enumerable.Repeat(4, Arch.StageCount).ToArray(), resolutions.Max());
        var ms = new double[2];
        proxy.Predict([smallest, largest], ms);
        var low = ms[0] * 1.02;
        return new SweepRange(low, Math.Max(ms[1], low * 1.01), ProxySweepSteps);
    }

    private static IReadOnlyList<DeviceResult> Shared(GateContext context, SearchSettings settings, EvolutionOptions options)
    {
        var watch = Stopwatch.StartNew();
        var devices = context.Devices.Select(d => new SearchDevice(d.Name.Value, context.Predictors[d.Name.Value].Predictor, d.BudgetMs.Value)).ToArray();
        // One arch for every device: the strictest confidence asked for applies to all of them.
        var confidences = context.Devices.Where(d => d.Confidence is not null).Select(d => d.Confidence!.Value).ToArray();
        double? confidence = confidences.Length > 0 ? confidences.Max() : null;
        var request = Request(context, settings, options, devices, confidence) with
        {
            Mode = Search.SearchMode.Shared,
            MaxDegreeOfParallelism = ShippedModelCheck.Degree(context),
        };
        var result = EvolutionSearch.Run(request, context.CancellationToken);
        if (result.Outcomes.Count == 0)
        {
            var smallest = result.Skipped.Count > 0 ? result.Skipped[0].SmallestReachableMs : double.PositiveInfinity;
            return context.Devices.Select(d => DeviceResults.NoArchFits(d, smallest, context.Predictors[d.Name.Value].Description, watch.Elapsed.TotalSeconds)).ToArray();
        }

        var arch = result.Outcomes[0].Best.Arch;
        var note = "one arch shared by every device (search mode: shared)";
        return context.Devices.Select(d => Decide(context, settings, d, context.Predictors[d.Name.Value], arch, [note, .. context.Predictors[d.Name.Value].Notes], watch)).ToArray();
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
