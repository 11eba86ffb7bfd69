using System.Globalization;
using LatencyGate.Diagnostics;
using LatencyGate.Gating;
using LatencyGate.Reporting;
using LatencyGate.Search;

namespace LatencyGate.Workflows;

/// <summary>What <c>search</c> wrote: the files, a summary, and the exit code (1 when a budget cannot be met).</summary>
internal sealed record SearchOutcomeFiles(ExitCode ExitCode, IReadOnlyList<Diagnostic> Diagnostics, IReadOnlyList<string> Files, IReadOnlyList<string> SummaryLines)
{
    /// <summary>The search itself (for <c>--json</c>), when it ran.</summary>
    public SearchResult? Result { get; init; }
}

/// <summary>
/// The search part alone (CLI <c>search</c>): the manifest's devices and predictors, OFA's evolutionary
/// search with the manifest's settings, the chosen archs in OFA's JSON form (one file per target,
/// usable as <c>model.arch</c>) and, with a sweep, the Pareto fronts as CSV and JSON (and, given a
/// renderer, as an HTML report with each device's budget and pick).
/// </summary>
internal static class SearchCommandRunner
{
    /// <summary>Searches as the manifest says and writes the results to <paramref name="outputDirectory"/> (null: <c>search</c> under the manifest's <c>outputs.dir</c>).</summary>
    public static SearchOutcomeFiles Run(CheckRequest request, string? outputDirectory, SweepRange? sweep, IProgress<WorkProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var (context, warnings, _, invalid) = GateRunner.Prepare(request, progress, cancellationToken);
        if (invalid is not null)
        {
            return new SearchOutcomeFiles(invalid.ExitCode, invalid.Diagnostics, [], invalid.SummaryLines);
        }

        var settings = context!.Manifest.Search
            ?? throw new LatencyGateException(GateErrors.NoSearchSettings, "the manifest has no 'search' section; add one to run the search: 'search: {}' searches with OFA's defaults (its keys: docs/manifest.md)", new SourceLocation(context.Manifest.FilePath));
        outputDirectory ??= Path.Combine(context.Manifest.Outputs.Directory.FullPath, "search");
        // Checked before the search, which can take minutes: a file or system folder in the way is LG0045 now.
        Files.OutputFile.CheckWritableFolder(outputDirectory, "the search output folder");
        var options = GateSearch.Options(settings);
        // One request for every device: the strictest confidence any device asks for applies to all.
        var confidences = context.Devices.Where(d => d.Confidence is not null).Select(d => d.Confidence!.Value).ToArray();
        var mode = sweep is not null ? SearchMode.Sweep : settings.Mode.Value == SearchMode.Shared ? SearchMode.Shared : SearchMode.PerDevice;
        var request1 = new SearchRequest(
            context.Devices.Select(d => new SearchDevice(d.Name.Value, context.Predictors[d.Name.Value].Predictor, d.BudgetMs.Value, sweep)).ToArray(),
            context.Objective,
            settings.Resolutions.Value)
        {
            Mode = mode,
            Seed = settings.Seed.Value,
            Options = options,
            Confidence = confidences.Length > 0 ? confidences.Max() : null,
            Sweep = sweep,
            MaxDegreeOfParallelism = request.MaxDegreeOfParallelism ?? 0,
            Tally = context.Searching,
        };
        progress?.Report(new WorkProgress("searching"));
        var aims = new System.Collections.Concurrent.ConcurrentDictionary<string, double>(StringComparer.Ordinal);
        SearchResult result;
        try
        {
            result = mode == SearchMode.PerDevice
                ? PerDevice(context, settings, options, aims, cancellationToken)
                : EvolutionSearch.Run(request1, cancellationToken);
        }
        catch (LatencyGateException ex)
        {
            // The search knows devices by name; point each finding at the manifest: the budget of
            // the device it names, else the search section.
            throw new LatencyGateException(ex.Diagnostics.Select(d => d.Location is not null ? Relocate(context, d) : d with { Location = LocationFor(context, settings, d.Message) }).ToArray(), ex.ExitCode);
        }

        Files.OutputFile.EnsureFolder(outputDirectory, "the search output folder");
        // Written together (OutputFile.WriteGroup): a failure midway replaces none of the last run's files.
        var pending = new List<(string Path, byte[] Bytes)>();
        void Write(string name, byte[] bytes) => pending.Add((Path.Combine(outputDirectory, name), bytes));

        Write("search.json", SearchResultWriter.ToJson(result));
        Write("archs.json", SearchResultWriter.ArchsToJson(result));
        if (mode == SearchMode.Sweep)
        {
            Write("pareto.csv", SearchResultWriter.ParetoToCsv(result));
            Write("pareto.json", SearchResultWriter.ParetoToJson(result));
            if (request.HtmlRenderer is { } html)
            {
                Write("report.html", html.Render(Reporting.Html.HtmlReportModels.FromSweep(context, result, warnings.Items, outputDirectory)));
            }
        }
        else
        {
            foreach (var outcome in result.Outcomes)
            {
                Write(SafeFileName(outcome.Target) + ".arch.json", System.Text.Encoding.UTF8.GetBytes(OfaArchJson.ToJson(outcome.Best.Arch) + "\n"));
            }
        }

        Files.OutputFile.WriteGroup([.. pending.Select(f => (f.Path, (Action<Stream>)(stream => stream.Write(f.Bytes))))], "report", GateErrors.ReportWriteFailed);
        var files = pending.Select(f => f.Path).ToList();

        var lines = result.Outcomes.Select(o => string.Create(
            CultureInfo.InvariantCulture,
            $"{o.Target}: {Score(result, o.Best.Accuracy)}, {string.Join(", ", o.Best.Latencies.Select(l => string.Create(CultureInfo.InvariantCulture, $"{l.Device} {l.LatencyMs:0.00} ms ≤ {l.BudgetMs:0.00} ms")))}{Aim(o)}, arch {o.Best.Arch.CanonicalKey}")).ToList();

        // Per device, what the search aimed under, as check says it: the reason a pick can sit below the budget.
        string Aim(SearchOutcome o) => aims.TryGetValue(o.Target, out var aim) && o.Best.Latencies.Count == 1
            ? ", " + ReportText.SearchAim(new Gating.DeviceResult { Device = o.Target, Verdict = Gating.Verdict.Pass, BudgetMs = o.Best.Latencies[0].BudgetMs, WarnMarginMs = 0, SearchTargetMs = aim })
            : string.Empty;
        if (mode == SearchMode.PerDevice)
        {
            // As check and --sweep do: the devices that fit have their results; each one that does not is failed.
            lines.AddRange(result.Skipped.Select(s => string.Create(CultureInfo.InvariantCulture, $"{s.Device}: FAIL, no sub-network fits the {s.BudgetMs:0.00} ms budget; the smallest latency reachable is {s.SmallestReachableMs:0.00} ms")));
            var failures = result.Skipped.Select(s => Diagnostic.Error(
                SearchErrors.Infeasible,
                string.Create(CultureInfo.InvariantCulture, $"no sub-network fits the {s.BudgetMs:0.###} ms budget on '{s.Device}': the smallest latency reachable is {s.SmallestReachableMs:0.00} ms"),
                context.Devices.First(d => d.Name.Value == s.Device).BudgetMs.Location)).ToArray();
            return new SearchOutcomeFiles(failures.Length > 0 ? ExitCode.GateFailed : ExitCode.Success, [.. warnings.Items, .. failures], files, lines)
            {
                Result = result,
            };
        }

        lines.AddRange(result.Skipped.Select(s => string.Create(CultureInfo.InvariantCulture, $"{s.Device}: budget {s.BudgetMs:0.00} ms skipped, smallest reachable {s.SmallestReachableMs:0.00} ms")));
        return new SearchOutcomeFiles(ExitCode.Success, warnings.Items, files, lines) { Result = result };
    }

    /// <summary>
    /// Each device searched on its own, exactly as <c>check</c> searches it (its own confidence; aimed
    /// under the budget less the warn margin, then at the whole budget if nothing fits there), so the
    /// two commands choose the same sub-network. A device where nothing fits is listed in
    /// <see cref="SearchResult.Skipped"/> and the others still get their results.
    /// </summary>
    private static SearchResult PerDevice(GateContext context, Manifest.SearchSettings settings, EvolutionOptions options, System.Collections.Concurrent.ConcurrentDictionary<string, double> aims, CancellationToken cancellationToken)
    {
        var outcomes = new SearchOutcome?[context.Devices.Count];
        var failed = new SkippedBudget?[context.Devices.Count];
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = context.Degree, CancellationToken = cancellationToken };
        UserErrors.Rethrowing(() => Parallel.For(0, context.Devices.Count, parallel, i =>
        {
            var device = context.Devices[i];
            var (outcome, smallest, aim) = GateSearch.SearchOne(context, settings, options, device);
            aims[device.Name.Value] = aim;
            if (outcome is not null)
            {
                outcomes[i] = outcome;
            }
            else
            {
                failed[i] = new SkippedBudget(device.Name.Value, device.BudgetMs.Value, smallest);
            }

        }));

        var confidences = context.Devices.Where(d => d.Confidence is not null).Select(d => d.Confidence!.Value).ToArray();
        return new SearchResult(
            SearchMode.PerDevice,
            context.Objective.Description,
            settings.Seed.Value,
            confidences.Length > 0 ? confidences.Max() : null,
            options,
            outcomes.OfType<SearchOutcome>().ToArray(),
            [],
            failed.OfType<SkippedBudget>().ToArray())
        {
            ScoreIsMacs = context.Objective is MacsProxyObjective,
        };
    }

    /// <summary>"accuracy 0.8194 (OFA …)", or with the MACs proxy "MACs 223.2 M (…)": MACs are not an accuracy.</summary>
    private static string Score(SearchResult result, double score) => result.ScoreIsMacs
        ? string.Create(CultureInfo.InvariantCulture, $"MACs {score:0.0} M (no accuracy predictor: {result.Objective})")
        : string.Create(CultureInfo.InvariantCulture, $"accuracy {score:0.0000} ({result.Objective})");

    /// <summary>A problem met inside a device's table or file (e.g. LG0024, no table for a resolution) at the manifest line naming it.</summary>
    private static Diagnostic Relocate(GateContext context, Diagnostic d) =>
        context.Devices.Select(device => DevicePredictorBuilder.AtManifestLine(device, d, keepCode: true)).FirstOrDefault(r => !ReferenceEquals(r, d)) ?? d;

    private static SourceLocation LocationFor(GateContext context, Manifest.SearchSettings settings, string message) =>
        context.Devices.FirstOrDefault(d => message.Contains($"'{d.Name.Value}'", StringComparison.Ordinal))?.BudgetMs.Location
        ?? settings.Location;

    private static string SafeFileName(string name) =>
        string.Concat(name.Select(c => char.IsLetterOrDigit(c) || c is '-' or '_' or '.' ? c : '_'));
}
