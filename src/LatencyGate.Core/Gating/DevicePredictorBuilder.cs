using System.Globalization;
using LatencyGate.Adaptation;
using LatencyGate.Caching;
using LatencyGate.Diagnostics;
using LatencyGate.Files;
using LatencyGate.Manifest;
using LatencyGate.Measurements;
using LatencyGate.Monotonicity;
using LatencyGate.Predictors;
using LatencyGate.Predictors.Intervals;
using LatencyGate.Predictors.Lut;
using LatencyGate.Spaces;

namespace LatencyGate.Gating;

/// <summary>
/// Turns each device's <c>predictor</c> source into an <see cref="ILatencyPredictor"/>: lookup tables,
/// predictor files, calibration, fine-tuning, hardware generalization or a proxy device. Every
/// device is built even when another fails, so one run reports every broken input.
/// </summary>
internal sealed class DevicePredictorBuilder
{
    /// <summary>Seed of every seeded step of building (shot draws, CV folds, bootstrap): results are reproducible.</summary>
    internal const ulong BuildSeed = 0;
    private const int ProxyBootstrapSamples = 200;

    private readonly LatencyGateManifest _manifest;
    private readonly ArtifactCache _cache;
    private readonly string _toolVersion;
    private readonly DiagnosticBag _warnings;
    private readonly Dictionary<string, BuiltPredictor?> _built = new(StringComparer.Ordinal);
    private readonly Func<string, SourceLocation?, ITrainingEngine>? _engines;

    /// <param name="manifest">The validated manifest.</param>
    /// <param name="cache">Where fitted and adapted predictors are kept between runs.</param>
    /// <param name="toolVersion">The host's version, part of every cache key.</param>
    /// <param name="warnings">Collects the warnings of every build.</param>
    /// <param name="engines">Resolves a manifest's <c>engine:</c> name (the CLI loads libtorch for <c>torch</c>); null: this host has the managed engine only (LG0855 for any other).</param>
    public DevicePredictorBuilder(LatencyGateManifest manifest, ArtifactCache cache, string toolVersion, DiagnosticBag warnings, Func<string, SourceLocation?, ITrainingEngine>? engines = null)
    {
        _manifest = manifest;
        _cache = cache;
        _toolVersion = toolVersion;
        _warnings = warnings;
        _engines = engines;
    }

    /// <summary>
    /// The engine a training source names. Resolved before any work, so a missing libtorch or a host
    /// without it fails at the manifest line rather than after loading the data.
    /// </summary>
    private ITrainingEngine Engine(DeviceSpec device, Located<string>? name)
    {
        if (name is null || name.Value == ManagedTrainingEngine.EngineName)
        {
            return ManagedTrainingEngine.Instance;
        }

        if (_engines is null)
        {
            throw new LatencyGateException(
                EngineErrors.EngineUnavailableHere,
                $"device '{device.Name.Value}': training engine '{name.Value}' is not available in this host (the MSBuild task trains with the managed engine only, to stay free of native libraries); run `dotnet latency-gate check`, or drop 'engine: {name.Value}' to adapt with the managed engine (same strategies, same predictor format)",
                name.Location);
        }

        try
        {
            return _engines(name.Value, name.Location);
        }
        catch (LatencyGateException ex)
        {
            // libtorch missing or not loading: reported at the manifest's engine line, with the loader's own reason.
            throw new LatencyGateException([.. ex.Diagnostics.Select(d => d.Location is null ? d with { Location = name.Location, Message = $"device '{device.Name.Value}', engine '{name.Value}': {d.Message}" } : d)], ex.ExitCode);
        }
    }

    /// <summary>Cache keys name the engine only when it is not the default, so existing managed entries stay valid.</summary>
    private static CacheKey WithEngine(CacheKey key, ITrainingEngine engine) =>
        engine.Name == ManagedTrainingEngine.EngineName ? key : key.Add("engine", engine.Name);

    private OfaSpace Space => _manifest.Space.Value;

    /// <summary>Builds the predictors of <paramref name="devices"/> (and of the proxies they name); problems go to <paramref name="errors"/>.</summary>
    public IReadOnlyDictionary<string, BuiltPredictor> BuildAll(IReadOnlyList<DeviceSpec> devices, DiagnosticBag errors, IProgress<WorkProgress>? progress = null)
    {
        var result = new Dictionary<string, BuiltPredictor>(StringComparer.Ordinal);
        for (var i = 0; i < devices.Count; i++)
        {
            var device = devices[i];
            progress?.Report(new WorkProgress("building predictors", i, devices.Count, device.Name.Value));
            if (GetOrBuild(device, errors, depth: 0) is { } built)
            {
                result[device.Name.Value] = built;
            }
        }

        return result;
    }

    private BuiltPredictor? GetOrBuild(DeviceSpec device, DiagnosticBag errors, int depth)
    {
        if (_built.TryGetValue(device.Name.Value, out var done))
        {
            return done;
        }

        BuiltPredictor? built = null;
        try
        {
            built = UnderPromise(device, Build(device, errors, depth));
        }
        catch (Exception ex) when (UserErrors.Unwrap(ex) is LatencyGateException user)
        {
            foreach (var d in user.Diagnostics)
            {
                errors.Add(AtManifestLine(device, d));
            }
        }

        _built[device.Name.Value] = built;
        return built;
    }

    /// <summary>
    /// A problem inside a file the manifest names is reported at the manifest line naming it
    /// (LG0430 another space, LG0431 bad measurements, LG0432 any other unloadable file, as
    /// docs/manifest.md promises), quoting the file's own diagnostic with its location.
    /// </summary>
    internal static Diagnostic AtManifestLine(DeviceSpec device, Diagnostic d, bool keepCode = false)
    {
        if (d.Location is null)
        {
            return d with { Location = device.Predictor.Location };
        }

        if (d.Severity != DiagnosticSeverity.Error)
        {
            return d;
        }

        var file = SafeFullPath(d.Location.File);
        var named = InputFiles.Of(device.Predictor).FirstOrDefault(p =>
            string.Equals(p.FullPath, file, StringComparison.Ordinal)
            || file.StartsWith(Path.TrimEndingDirectorySeparator(p.FullPath) + Path.DirectorySeparatorChar, StringComparison.Ordinal));
        if (named is null)
        {
            return d;
        }

        // The file the manifest names, with no line of its own: its path is already quoted (as the
        // manifest writes it), so the file's own diagnostic is quoted without it, not with its full path again.
        var sameFile = d.Location.Line <= 0 && string.Equals(file, named.FullPath, StringComparison.Ordinal);
        if (keepCode)
        {
            return d with { Message = sameFile ? $"device '{device.Name.Value}': {EchoText.Cut(named.Text)}: {d.Message}" : $"device '{device.Name.Value}': {EchoText.Cut(named.Text)}: {d.Message} (in {d.Location})", Location = named.Location };
        }

        var code = d.Code == LearningErrors.SpaceMismatch
            ? ManifestErrors.SpaceMismatch
            : IsMeasurements(device.Predictor, named) ? ManifestErrors.BadMeasurements : ManifestErrors.UnloadableFile;
        return Diagnostic.Error(code, $"device '{device.Name.Value}': {EchoText.Cut(named.Text)}: {(sameFile ? d with { Location = null } : d)}", named.Location);
    }

    private static bool IsMeasurements(PredictorSource source, PathRef path) => source switch
    {
        CalibrateSource s => ReferenceEquals(s.Measurements, path),
        FinetuneSource s => ReferenceEquals(s.Measurements, path),
        ProxySource s => ReferenceEquals(s.Measurements, path),
        _ => false,
    };

    private static string SafeFullPath(string path)
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

    /// <summary>
    /// A conformal predictor gated with a <c>calibration_confidence</c> keeps its coverage with that
    /// probability over its calibration draw, not only on average (wider bounds with few
    /// measurements). Applied after building and caching, so the cached adaptation is the same either way.
    /// </summary>
    private static BuiltPredictor? UnderPromise(DeviceSpec device, BuiltPredictor? built)
    {
        if (built?.Predictor is not ConformalPredictor conformal)
        {
            return built;
        }

        var promised = device.CalibrationConfidence is { } g ? conformal.WithCalibrationConfidence(g.Value) : conformal;
        var notes = built.Notes;
        if (device.Confidence is { } c && !promised.IsFiniteSampleValid(c.Value))
        {
            // Say when the bound rests on an assumed tail rather than on the order statistics.
            var needed = ConformalRank.MinimumCount(c.Value, promised.CalibrationConfidence);
            var (promise, law) = promised.CalibrationConfidence is { } h
                ? (string.Create(CultureInfo.InvariantCulture, $"with confidence {h:0.###}"), string.Create(CultureInfo.InvariantCulture, $"a Lomax tail of shape {TailExtrapolation.Shape:0.##}"))
                : ("on average", "an exponential tail");
            notes = [.. notes, string.Create(CultureInfo.InvariantCulture, $"{promised.CalibrationCount} calibration scores are too few to hold {c.Value:0.###} coverage {promise} without assumptions (at least {needed} are needed): the upper bound extrapolates the scores with {law} (docs/adaptation.md, false-pass)")];
        }

        return built with { Predictor = promised, Description = promised.Description, Notes = notes };
    }

    private BuiltPredictor? Build(DeviceSpec device, DiagnosticBag errors, int depth) => device.Predictor switch
    {
        LutSource lut => Lut(lut),
        FileSource file => LoadFile(file.File),
        CalibrateSource calibrate => Calibrate(calibrate),
        FinetuneSource finetune => Finetune(device, finetune),
        GeneralizedSource generalized => Generalized(device, generalized),
        ProxySource proxy => Proxy(device, proxy, errors, depth),
        MeasureSource { Predictor: { } inner } => Build(device with { Predictor = inner }, errors, depth),
        MeasureSource => new BuiltPredictor(new UnpredictedDevice(Space), "measured on this machine", []),
        _ => throw new LatencyGateException(GateErrors.DeviceError, $"device '{device.Name.Value}': predictor source '{device.Predictor.Kind}' is not supported", device.Predictor.Location),
    };

    private BuiltPredictor Lut(LutSource source)
    {
        var predictor = LoadTables(source.Directory, source.Interpolate);
        return new BuiltPredictor(predictor, predictor.Description, []);
    }

    /// <summary>
    /// Lookup tables named by the manifest. A problem with the folder as a whole (missing, empty, of
    /// the other space) is reported at the manifest line that names it; one inside a table file keeps
    /// that file's line and column.
    /// </summary>
    private LookupTablePredictor LoadTables(PathRef folder, bool interpolate)
    {
        try
        {
            return LookupTablePredictor.Load(folder.FullPath, Space, interpolate);
        }
        catch (LatencyGateException ex)
        {
            throw new LatencyGateException(
                ex.Diagnostics.Select(d => d.Location is null || d.Location.File == folder.FullPath
                    ? d with { Location = folder.Location, Message = AsWritten(d.Message, folder) }
                    : d).ToArray(),
                ex.ExitCode);
        }
    }

    private BuiltPredictor LoadFile(PathRef file)
    {
        var predictor = PredictorLoader.Load(Space, null, file.FullPath);
        return new BuiltPredictor(predictor, predictor.Description, []) { HeldOut = file.IsDirectory || file.IsBuiltin ? null : PredictorTrust.Of(file.FullPath, generalized: false) };
    }

    /// <summary>The message with the folder as the manifest writes it (and named, when it was not).</summary>
    private static string AsWritten(string message, PathRef folder)
    {
        var text = message.Replace(folder.FullPath, folder.Text, StringComparison.Ordinal);
        return text.Contains($"'{folder.Text}'", StringComparison.Ordinal) ? text : $"lookup tables '{folder.Text}': {text}";
    }

    private ILatencyPredictor LoadBase(PathRef path) =>
        MacsBasePredictor.IsReference(path.Text) ? new MacsBasePredictor(Space)
        : path.IsDirectory || path.IsBuiltin ? LoadTables(path, interpolate: false)
        : PredictorLoader.Load(Space, null, path.FullPath);

    private MeasurementSet ReadMeasurements(PathRef path, Located<string>? column) =>
        MeasurementsCsv.Read(path.FullPath, Space, column?.Value);

    private BuiltPredictor Calibrate(CalibrateSource source)
    {
        var basePredictor = LoadBase(source.Base);
        var measurements = ReadMeasurements(source.Measurements, source.LatencyColumn);
        var calibrated = ConformalPredictor.Calibrate(basePredictor, measurements.Items.Select(m => m.Arch).ToArray(), measurements.Items.Select(m => m.LatencyMs).ToArray());
        // Not cached (one pass of predictions); the key still matters to a proxy built on this device.
        var key = new CacheKey().Add("kind", "calibrate").Add("column", source.LatencyColumn?.Value);
        AddPathBytes(key, "base", source.Base);
        key.AddFile("measurements", source.Measurements.FullPath);
        return new BuiltPredictor(calibrated, calibrated.Description, [$"intervals calibrated on {measurements.Items.Count} measurements from {source.Measurements.Text}"]) { CacheKey = key.Finish() };
    }

    private BuiltPredictor Finetune(DeviceSpec device, FinetuneSource source)
    {
        var engine = Engine(device, source.Engine);
        var basePredictor = LoadBase(source.Base);
        var measurements = ReadMeasurements(source.Measurements, source.LatencyColumn);
        var key = new CacheKey()
            .Add("kind", "finetune")
            .Add("tool", _toolVersion)
            .Add("tail", TailExtrapolation.CacheTag)
            .Add("space", Space.Name)
            .Add("strategy", source.Strategy.Value)
            .Add("shots", source.Shots?.Value.ToString(CultureInfo.InvariantCulture))
            .Add("column", source.LatencyColumn?.Value)
            .Add("seed", BuildSeed.ToString(CultureInfo.InvariantCulture));
        AddPathBytes(key, "base", source.Base);
        key.AddFile("measurements", source.Measurements.FullPath);
        return Adapt([basePredictor], measurements, source.Strategy.Value, source.Shots?.Value, WithEngine(key, engine).Finish(), engine, source.Shots?.Location);
    }

    private BuiltPredictor Generalized(DeviceSpec device, GeneralizedSource source)
    {
        var spec = source.Hardware.Validated(source.Location);
        var model = GeneralizedPredictorFile.Load(source.Predictor.FullPath, Space);
        var predictor = model.For(spec, Space);
        // The hardware figures live in the manifest, not in a file: a proxy built on this device keys on them.
        var key = new CacheKey()
            .Add("kind", "generalized")
            .Add("hardware", FormattableString.Invariant($"{spec.Cores:R}|{spec.MemoryGb:R}|{spec.BandwidthGbPerSecond:R}|{spec.PeakFp32Gflops:R}|{spec.BatchSize}"));
        AddPathBytes(key, "predictor", source.Predictor);
        return new BuiltPredictor(predictor, predictor.Description, [$"zero-shot from the hardware specs of '{device.Name.Value}'"])
        {
            CacheKey = key.Finish(),
            HeldOut = PredictorTrust.Of(source.Predictor.FullPath, generalized: true),
        };
    }

    private BuiltPredictor? Proxy(DeviceSpec device, ProxySource source, DiagnosticBag errors, int depth)
    {
        var proxyDevice = _manifest.FindDevice(source.Device.Value)
            ?? throw new LatencyGateException(GateErrors.DeviceError, $"device '{device.Name.Value}': proxy device '{source.Device.Value}' is not in the manifest", source.Device.Location);
        if (depth > _manifest.Devices.Count)
        {
            throw new LatencyGateException(GateErrors.DeviceError, $"device '{device.Name.Value}': proxy chain through '{source.Device.Value}' loops", source.Device.Location);
        }

        var engine = Engine(device, source.Engine);
        if (GetOrBuild(proxyDevice, errors, depth + 1) is not { } proxy)
        {
            // The proxy's own problems are already reported.
            return null;
        }

        var measurements = ReadMeasurements(source.Measurements, source.LatencyColumn);
        var archs = measurements.Items.Select(m => m.Arch).ToArray();
        var measured = measurements.Items.Select(m => m.LatencyMs).ToArray();
        var proxyPredicted = new double[archs.Length];
        proxy.Predictor.Predict(archs, proxyPredicted);
        var srcc = ProxyAgreement(device, proxyPredicted, measured, source.Measurements);

        var key = new CacheKey()
            .Add("kind", "proxy")
            .Add("tool", _toolVersion)
            .Add("tail", TailExtrapolation.CacheTag)
            .Add("space", Space.Name)
            .Add("proxy", proxy.Description)
            .Add("proxy.key", proxy.CacheKey)
            .Add("column", source.LatencyColumn?.Value)
            .Add("seed", BuildSeed.ToString(CultureInfo.InvariantCulture));
        AddSourceBytes(key, proxyDevice.Predictor);
        key.AddFile("measurements", source.Measurements.FullPath);
        var adapted = Adapt([proxy.Predictor], measurements, "auto", null, WithEngine(key, engine).Finish(), engine);
        var note = string.Create(
            CultureInfo.InvariantCulture,
            $"proxy '{proxyDevice.Name.Value}': SRCC {srcc.Value:0.000} (95% CI {srcc.Lower:0.000}–{srcc.Upper:0.000}) on {archs.Length} measurements of this device");
        return adapted with
        {
            Notes = [note, .. adapted.Notes],
            Proxy = new ProxyUse(proxyDevice.Name.Value, srcc.Value, srcc.Lower, srcc.Upper, archs.Length),
        };
    }

    private static CorrelationCell ProxyAgreement(DeviceSpec device, double[] proxyPredicted, double[] measured, PathRef measurements)
    {
        if (measured.Length < 5)
        {
            throw new LatencyGateException(
                GateErrors.DeviceError,
                $"device '{device.Name.Value}': a proxy needs at least 5 measurements of the target to judge rank agreement; {measurements.Text} has {measured.Length}",
                measurements.Location);
        }

        var report = MonotonicityAnalysis.Analyze(["proxy", "target"], [proxyPredicted, measured], null, 0.9, ProxyBootstrapSamples, BuildSeed);
        return report.Spearman[0][1];
    }

    /// <summary>How <see cref="AdaptationRun"/> marks its warning among the report lines.</summary>
    private const string WarningNote = "warning: ";

    private BuiltPredictor Adapt(IReadOnlyList<ILatencyPredictor> bases, MeasurementSet measurements, string strategy, int? shots, string cacheKey, ITrainingEngine engine, SourceLocation? shotsAt = null)
    {
        var built = _cache.GetOrBuild(
            cacheKey,
            () =>
            {
                var pairs = measurements.Items.Select(m => (m.Arch, m.LatencyMs)).ToArray();
                var outcome = AdaptationRun.Run(bases, pairs, strategy, shots, BuildSeed, engine);
                var predictor = outcome.WithIntervals;
                IReadOnlyList<string> report = engine.Name == ManagedTrainingEngine.EngineName ? outcome.Report : [$"training engine: {engine.Name}", .. outcome.Report];
                var payload = AdaptedPredictorCodec.TryEncode(predictor, bases, report, out var unsupported);
                var notes = unsupported is null ? report : [.. report, $"not cached: {unsupported}"];
                return (new BuiltPredictor(predictor, predictor.Description, notes), payload);
            },
            payload =>
            {
                // The bases are rebuilt from the same bytes the key hashes, so the stored adaptation fits them.
                var stored = AdaptedPredictorCodec.Decode(payload, bases);
                return new BuiltPredictor(stored.Predictor, stored.Predictor.Description, [$"cached: adaptation loaded from {Path.GetFileName(_cache.PathFor(cacheKey))}, not rerun", .. stored.Notes]);
            },
            _warnings,
            out _);
        // Fresh or cached, an adaptation whose intervals had to be widened says so as a warning, not only in its notes.
        foreach (var note in built.Notes.Where(n => n.StartsWith(WarningNote, StringComparison.Ordinal)))
        {
            _warnings.Add(Diagnostic.Warning(AdaptationErrors.IntervalsWidened, note[WarningNote.Length..], new SourceLocation(measurements.Path)));
        }

        foreach (var note in built.Notes.Where(n => n.StartsWith(AdaptationRun.ShotsWarningNote, StringComparison.Ordinal)))
        {
            _warnings.Add(Diagnostic.Warning(AdaptationErrors.ShotsCapped, note[AdaptationRun.ShotsWarningNote.Length..], shotsAt ?? new SourceLocation(measurements.Path)));
        }

        return built with { CacheKey = cacheKey };
    }

    private static void AddPathBytes(CacheKey key, string label, PathRef path)
    {
        if (path.IsBuiltin || path.IsArchKey)
        {
            // Built-in content is fixed by the tool's version, which every cached kind keys on.
            key.Add(label + ".builtin", path.Text);
        }
        else if (path.IsDirectory)
        {
            foreach (var file in FolderWalk.Files(path.FullPath, InputErrors.FolderUnwalkable, path.Location))
            {
                key.Add(label + ".name", Path.GetRelativePath(path.FullPath, file));
                key.AddFile(label, file, path.Location);
            }
        }
        else
        {
            key.AddFile(label, path.FullPath, path.Location);
        }
    }

    private static void AddSourceBytes(CacheKey key, PredictorSource source)
    {
        foreach (var path in InputFiles.Of(source))
        {
            AddPathBytes(key, "source", path);
        }
    }
}
