using System.Diagnostics;
using System.Globalization;
using LatencyGate.Caching;
using LatencyGate.Diagnostics;
using LatencyGate.Gating;
using LatencyGate.Manifest;
using LatencyGate.Predictors;
using LatencyGate.Reporting;
using LatencyGate.Search;
using LatencyGate.Spaces;

namespace LatencyGate.Workflows;

/// <summary>
/// The gate as hosts call it (CLI <c>check</c>, MSBuild task): load and validate the manifest, build
/// each device's predictor, check the shipped arch and/or search, decide per device, write reports.
/// </summary>
public static class GateRunner
{
    /// <summary>Runs the gate. User mistakes come back as diagnostics with exit code 2, never as exceptions.</summary>
    public static CheckOutcome Check(CheckRequest request, IProgress<WorkProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        try
        {
            return Run(request, progress, cancellationToken);
        }
        catch (Exception ex) when (UserErrors.Unwrap(ex) is LatencyGateException user)
        {
            return Invalid(request, user.Diagnostics, user.ExitCode, [FullPathOf(request.ManifestPath)]);
        }
    }

    /// <summary>
    /// The manifest and every file it references (archs, tables, predictors, measurements; folders
    /// expanded), for incremental builds; a manifest that cannot be read yields just itself.
    /// </summary>
    public static IReadOnlyList<string> ListInputs(string manifestPath)
    {
        var load = ManifestLoader.Load(manifestPath);
        return load.Manifest is { } manifest
            ? InputFiles.Expand(manifestPath, InputFiles.Of(manifest))
            : [Path.GetFullPath(manifestPath)];
    }

    /// <summary>
    /// The inputs both the gate and the search command need: the validated manifest, the selected
    /// devices' predictors and the objective; or the outcome to return when any input is bad.
    /// </summary>
    internal static (GateContext? Context, DiagnosticBag Warnings, IReadOnlyList<string> Inputs, CheckOutcome? Invalid) Prepare(
        CheckRequest request,
        IProgress<WorkProgress>? progress,
        CancellationToken cancellationToken)
    {
        progress?.Report(new WorkProgress("reading " + Path.GetFileName(request.ManifestPath)));
        var warnings = new DiagnosticBag();
        var load = ManifestLoader.Load(request.ManifestPath, ManifestChecks.Standard);
        if (load.Manifest is not { } manifest || load.HasErrors)
        {
            IReadOnlyList<string> manifestOnly = [FullPathOf(request.ManifestPath)];
            return (null, warnings, manifestOnly, Invalid(request, load.Diagnostics, ExitCode.InvalidInput, manifestOnly));
        }

        foreach (var d in load.Diagnostics)
        {
            warnings.Add(d);
        }

        if (manifest.Search is { } search && SearchOptionErrors(search) is { Count: > 0 } optionErrors)
        {
            IReadOnlyList<string> manifestOnly = [FullPathOf(request.ManifestPath)];
            return (null, warnings, manifestOnly, Invalid(request, [.. optionErrors, .. warnings.Items], ExitCode.InvalidInput, manifestOnly));
        }

        var inputs = InputFiles.Expand(request.ManifestPath, InputFiles.Of(manifest));
        var devices = SelectDevices(manifest, request.DeviceName);
        var cache = new ArtifactCache(request.CacheDirectory ?? Path.Combine(manifest.BaseDirectory, ".latency-gate", "cache"));
        var errors = new DiagnosticBag();
        var predictors = new DevicePredictorBuilder(manifest, cache, request.ToolVersion, warnings, request.TrainingEngines).BuildAll(devices, errors, progress);
        PredictorTrust.Check(devices, predictors, warnings);
        var objective = LoadObjective(manifest, errors);
        CheckTableResolutions(manifest, devices, predictors, errors);
        if (errors.HasErrors || objective is null)
        {
            return (null, warnings, inputs, Invalid(request, [.. errors.Items, .. warnings.Items], ExitCode.InvalidInput, inputs));
        }

        var context = new GateContext(manifest, devices, predictors, objective, request.MaxDegreeOfParallelism ?? 0, cancellationToken) { Measurer = request.Measurer, Progress = progress, Searching = new SearchTally(progress) };
        return (context, warnings, inputs, null);
    }

    private static CheckOutcome Run(CheckRequest request, IProgress<WorkProgress>? progress, CancellationToken cancellationToken)
    {
        var watch = Stopwatch.StartNew();
        var (prepared, warnings, inputs, invalid) = Prepare(request, progress, cancellationToken);
        if (invalid is not null)
        {
            return invalid;
        }

        var context = prepared!;
        var manifest = context.Manifest;
        var shipped = manifest.ShippedArch is { } archPath ? ShippedArchCheck.Read(archPath, manifest.Space.Value) : null;
        cancellationToken.ThrowIfCancellationRequested();
        IReadOnlyList<DeviceResult> results;
        GateMode mode;
        if (shipped is not null)
        {
            progress?.Report(new WorkProgress("predicting the shipped model"));
            mode = GateMode.Check;
            results = ShippedModelCheck.Run(context, shipped);
        }
        else
        {
            progress?.Report(new WorkProgress("searching"));
            mode = manifest.Search!.Mode.Value == SearchMode.Shared ? GateMode.SearchShared : GateMode.SearchPerDevice;
            results = GateSearch.Run(context);
        }

        if (context.Devices.Any(d => d.Predictor is MeasureSource))
        {
            progress?.Report(new WorkProgress("measuring on this machine"));
            results = MeasuredDevices.Apply(context, results, shipped, context.Measurer);
        }

        if (request.DeviceName is not null)
        {
            results = WithUnselected(manifest, results);
        }

        var formats = request.Formats ?? manifest.Outputs.Formats.Value;
        if (request.WriteReports && request.HtmlRenderer is null && formats.Contains(ReportFormat.Html))
        {
            warnings.Warning(
                ReportErrors.HtmlNotAvailable,
                "outputs 'formats' asks for html, which this host does not draw (it would bring SkiaSharp's native library into the build); the other reports are written; run `dotnet latency-gate check` for the HTML report",
                manifest.Outputs.Formats.Location);
        }

        var result = new GateResult
        {
            ManifestPath = request.ManifestPath,
            Space = manifest.Space.Value.Name,
            Mode = mode,
            Devices = results,
            Diagnostics = warnings.Items,
            ToolVersion = request.ToolVersion,
            StartedAt = request.StartedAt,
            HostName = request.HostName,
            TotalSeconds = watch.Elapsed.TotalSeconds,
            Quality = request.WriteReports && request.HtmlRenderer is not null && formats.Contains(ReportFormat.Html) ? Quality(context) : new Dictionary<string, QualityView>(),
        };
        var reportFiles = request.WriteReports
            ? ReportWriter.WriteAll(result, request.ReportDirectory ?? manifest.Outputs.Directory.FullPath, formats, request.HtmlRenderer)
            : [];
        return new CheckOutcome(result.ExitCode, GateFindings.For(result), reportFiles, inputs, Summary(result))
        {
            Result = result,
        };
    }

    internal static IReadOnlyDictionary<string, QualityView> Quality(GateContext context)
    {
        var quality = new Dictionary<string, QualityView>(StringComparer.Ordinal);
        foreach (var device in context.Devices)
        {
            if (context.Predictors.TryGetValue(device.Name.Value, out var built)
                && Reporting.Html.PredictorQuality.Of(device, built.Predictor, context.Manifest.Space.Value) is { } q)
            {
                quality[device.Name.Value] = q;
            }
        }

        return quality;
    }

    /// <summary>
    /// Search options the manifest's values lead to that the search refuses (for example a
    /// parent_ratio giving no parent), found before any predictor is built and reported at the
    /// key that causes them.
    /// </summary>
    private static IReadOnlyList<Diagnostic> SearchOptionErrors(SearchSettings search)
    {
        try
        {
            GateSearch.Options(search).Validate();
            return [];
        }
        catch (LatencyGateException ex)
        {
            return ex.Diagnostics.Select(d => d with { Location = d.Location ?? KeyOf(d.Message) }).ToArray();
        }

        SourceLocation KeyOf(string message) =>
            message.StartsWith("population", StringComparison.Ordinal) ? search.Population.Location
            : message.StartsWith("generations", StringComparison.Ordinal) ? search.Generations.Location
            : message.StartsWith("parent ratio", StringComparison.Ordinal) ? search.ParentRatio.Location
            : message.StartsWith("mutation ratio", StringComparison.Ordinal) ? search.MutationRatio.Location
            : message.StartsWith("mutation probability", StringComparison.Ordinal) ? search.MutationProbability.Location
            : search.Location;
    }

    /// <summary>
    /// Every device of the manifest, in its order: the checked ones with their results, the others
    /// marked skipped (docs/reports.md), so a report of a one-device run still lists the fleet.
    /// </summary>
    private static IReadOnlyList<DeviceResult> WithUnselected(LatencyGateManifest manifest, IReadOnlyList<DeviceResult> results)
    {
        var checkedNames = string.Join(", ", results.Select(r => $"'{r.Device}'"));
        return manifest.Devices
            .Select(d => results.FirstOrDefault(r => r.Device == d.Name.Value)
                ?? DeviceResults.Skipped(d, $"not checked: only {checkedNames} was selected"))
            .ToArray();
    }

    private static IReadOnlyList<DeviceSpec> SelectDevices(LatencyGateManifest manifest, string? name)
    {
        if (name is null)
        {
            return manifest.Devices;
        }

        return manifest.FindDevice(name) is { } device
            ? [device]
            : throw new LatencyGateException(
                GateErrors.UnknownDevice,
                $"no device named '{name}' in the manifest; expected one of {string.Join(", ", manifest.Devices.Select(d => d.Name.Value))}",
                new SourceLocation(manifest.FilePath));
    }

    /// <summary>
    /// A device on lookup tables must have a table (or, with <c>interpolate: true</c>, two around it)
    /// for every resolution the run will predict: the shipped arch's, or each search resolution.
    /// Checked before any prediction, so the error points at the manifest line naming the tables.
    /// </summary>
    private static void CheckTableResolutions(LatencyGateManifest manifest, IReadOnlyList<DeviceSpec> devices, IReadOnlyDictionary<string, BuiltPredictor> predictors, DiagnosticBag errors)
    {
        IReadOnlyList<int> needed;
        string why;
        if (manifest.ShippedArch is { } archPath)
        {
            Arch shipped;
            try
            {
                shipped = ShippedArchCheck.Read(archPath, manifest.Space.Value);
            }
            catch (LatencyGateException)
            {
                return; // reported when the run reads it
            }

            needed = [shipped.Resolution];
            why = string.Create(CultureInfo.InvariantCulture, $"the shipped arch's resolution {shipped.Resolution}");
        }
        else if (manifest.Search is { } search)
        {
            needed = search.Resolutions.Value;
            why = "search 'resolutions'";
        }
        else
        {
            return;
        }

        foreach (var device in devices)
        {
            if (device.Predictor is not LutSource source || !predictors.TryGetValue(device.Name.Value, out var built) || built.Predictor is not Predictors.Lut.LookupTablePredictor tables)
            {
                continue;
            }

            var missing = needed.Where(r => !tables.Covers(r)).ToArray();
            if (missing.Length == 0)
            {
                continue;
            }

            var have = string.Join(", ", tables.Resolutions);
            var remedy = source.Interpolate
                ? "interpolation works only between two tables, not beyond the first or last"
                : $"set 'lut: {{path: {source.Directory.Text}, interpolate: true}}' to interpolate between the two nearest tables";
            errors.Error(
                LutErrors.NoTableForResolution,
                string.Create(CultureInfo.InvariantCulture, $"device '{device.Name.Value}': lookup tables '{source.Directory.Text}' have no table for resolution {string.Join(", ", missing)} ({why}); they have {have}; {remedy}"),
                source.Directory.Location);
        }
    }

    private static IAccuracyObjective? LoadObjective(LatencyGateManifest manifest, DiagnosticBag errors)
    {
        if (manifest.Accuracy.Predictor is not { } path)
        {
            return MacsProxyObjective.For(manifest.Space.Value);
        }

        try
        {
            return AccuracyPredictorFile.Load(path.FullPath, manifest.Space.Value, path.Location);
        }
        catch (LatencyGateException ex)
        {
            foreach (var d in ex.Diagnostics)
            {
                // Already at the manifest line (a built-in profile of another space, LG0422): as it is,
                // not quoted inside LG0432 with the same location twice.
                errors.Add(d.Location is null
                    ? d with { Location = path.Location }
                    : d.Location == path.Location
                        ? d
                        : Diagnostic.Error(ManifestErrors.UnloadableFile, $"accuracy predictor {EchoText.Cut(path.Text)}: {d}", path.Location));
            }

            return null;
        }
    }

    /// <summary>The manifest's full path for the inputs list; an empty or malformed path (already reported by the loader) as given.</summary>
    private static string FullPathOf(string path)
    {
        try
        {
            return Path.GetFullPath(path);
        }
        catch (Exception ex) when (ex is ArgumentException or NotSupportedException or PathTooLongException)
        {
            return path;
        }
    }

    internal static CheckOutcome Invalid(CheckRequest request, IReadOnlyList<Diagnostic> diagnostics, ExitCode exitCode, IReadOnlyList<string> inputs)
    {
        var reports = new List<string>();
        if (request.WriteReports && request.ReportDirectory is { } dir)
        {
            // Code scanning can still show where the manifest is wrong.
            var path = Path.Combine(dir, ReportFormats.FileName(ReportFormat.Sarif));
            ReportWriter.WriteAtomically(path, SarifReportWriter.Write(diagnostics, request.ToolVersion, (int)exitCode));
            reports.Add(path);
        }

        var errorCount = diagnostics.Count(d => d.Severity == DiagnosticSeverity.Error);
        return new CheckOutcome(exitCode, diagnostics, reports, inputs, [string.Create(CultureInfo.InvariantCulture, $"latency gate: {errorCount} error(s) in the inputs; no device was gated")]);
    }

    private static IReadOnlyList<string> Summary(GateResult result)
    {
        var lines = new List<string>();
        foreach (var d in result.Devices)
        {
            lines.Add(ReportText.DeviceLine(d));
        }

        lines.Add(ReportText.OverallLine(result));
        return lines;
    }
}
