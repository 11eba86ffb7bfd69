using System.Globalization;
using LatencyGate.Adaptation;
using LatencyGate.Diagnostics;
using LatencyGate.Predictors.Profiles;
using LatencyGate.Search;
using LatencyGate.Spaces;

namespace LatencyGate.Manifest;

/// <summary>
/// Turns the YAML tree into a <see cref="LatencyGateManifest"/>, reporting every problem into the bag
/// and carrying on, so one run lists them all. Returns null when required parts are missing.
/// </summary>
internal sealed class ManifestParser
{
    public static readonly IReadOnlyList<int> DefaultResolutions = [160, 176, 192, 208, 224];

    private readonly string _file;
    private readonly DiagnosticBag _bag;
    private readonly ScalarReader _read;
    private readonly string _baseDirectory;

    public ManifestParser(string file, DiagnosticBag bag)
    {
        _file = file;
        _bag = bag;
        _baseDirectory = Path.GetDirectoryName(Path.GetFullPath(file)) ?? ".";
        _read = new ScalarReader(bag, _baseDirectory);
    }

    public LatencyGateManifest? Parse(string text)
    {
        // YAML lets a NUL end a plain scalar silently; a manifest is text, so a NUL means a corrupt
        // or binary file: refused at its position rather than read as whatever precedes it.
        if (text.IndexOf('\0', StringComparison.Ordinal) is var nul and >= 0)
        {
            var line = 1 + text.AsSpan(0, nul).Count('\n');
            var column = nul - (text.LastIndexOf('\n', Math.Max(0, nul - 1)) + 1) + 1;
            _bag.Error(ManifestErrors.YamlSyntax, "a NUL character (U+0000): a manifest is text; is this a binary or corrupt file?", new SourceLocation(_file, line, column));
            return null;
        }

        var root = YamlTreeReader.Read(text, _file, _bag);
        if (root is null)
        {
            if (!_bag.HasErrors)
            {
                _bag.Error(ManifestErrors.MissingKey, "the manifest is empty; expected at least version, space and devices", new SourceLocation(_file, 1, 1));
            }

            return null;
        }

        var map = MapView.Of(root, "the manifest", ManifestKeys.Root, _bag);
        if (map is null)
        {
            return null;
        }

        var version = ParseVersion(map);
        var space = ParseSpace(map);
        var accuracy = ParseAccuracy(map);
        var shipped = map.Get("model") is { } modelNode ? ParseModel(modelNode) : null;
        var search = map.Get("search") is { } searchNode ? ParseSearch(searchNode, space?.Value ?? OfaSpace.W10) : null;
        if (!map.Has("model") && !map.Has("search"))
        {
            _bag.Error(
                ManifestErrors.NothingToGate,
                "nothing to gate: give the shipped model ('model: {arch: FILE}') to check it on every device, 'search' settings to search each device's best sub-network, or both",
                map.Location);
        }

        var accuracyNode = map.Get("accuracy");
        var macsWritten = accuracyNode is null || accuracyNode.Kind == YamlNodeKind.Scalar
            || (accuracyNode.Kind == YamlNodeKind.Mapping && !accuracyNode.Pairs.Any(p => p.Key.Text == "predictor"));
        if (search?.AccuracyFloor is { } floor && macsWritten)
        {
            // With the MACs proxy the score is MACs in millions: any floor in (0, 1) would always pass.
            _bag.Error(
                InputErrors.AccuracyFloorWithoutPredictor,
                "'accuracy_floor' needs an accuracy predictor ('accuracy: {predictor: FILE}' or a built-in one); with the MACs proxy the score is MACs in millions, not an accuracy, so no floor can be checked",
                floor.Location);
        }

        var defaults = ParseDefaults(map.Get("defaults"));
        var devices = ParseDevices(map.Required("devices", "a list of target devices", _bag), defaults);
        var outputs = ParseOutputs(map.Get("outputs"), map.Location);

        if (version is null || space is null || devices is null || outputs is null)
        {
            return null;
        }

        if (map.Has("search"))
        {
            foreach (var d in devices)
            {
                if (d.Predictor is MeasureSource { Predictor: null } measured)
                {
                    _bag.Error(
                        GateErrors.MeasuredNeedsPredictor,
                        $"device '{d.Name.Value}' is measured and the manifest searches: give 'measure: {{predictor: …}}' (a lut, file, finetune, generalized or calibrate source) to search with; the pick is then measured",
                        measured.Location);
                }
            }
        }

        return new LatencyGateManifest(Path.GetFullPath(_file), version, space, accuracy, shipped, search, devices, outputs) { };
    }

    private Located<int>? ParseVersion(MapView map)
    {
        var node = map.Required("version", $"the manifest format version, {LatencyGateManifest.CurrentVersion}", _bag);
        var v = _read.Integer(node, "'version'");
        if (v is null)
        {
            return null;
        }

        if (v.Value != LatencyGateManifest.CurrentVersion)
        {
            _bag.Error(
                ManifestErrors.UnsupportedVersion,
                string.Create(CultureInfo.InvariantCulture, $"manifest version {v.Value} is not supported by this tool; expected version: {LatencyGateManifest.CurrentVersion}"),
                v.Location);
            return null;
        }

        return new(LatencyGateManifest.CurrentVersion, v.Location);
    }

    private Located<OfaSpace>? ParseSpace(MapView map)
    {
        var names = OfaSpace.All.Select(s => s.Name).ToArray();
        var v = _read.String(map.Required("space", $"one of {string.Join(", ", names)}", _bag), "'space'");
        if (v is null)
        {
            return null;
        }

        if (!OfaSpace.TryGet(v.Value, out var space))
        {
            _bag.Error(ManifestErrors.UnknownSpace, $"unknown space '{EchoText.Cut(v.Value)}'{DidYouMean.Hint(v.Value, names)}; expected one of: {string.Join(", ", names)}", v.Location);
            return null;
        }

        return new(space, v.Location);
    }

    private AccuracyObjectiveSpec ParseAccuracy(MapView map)
    {
        var node = map.Get("accuracy");
        if (node is null)
        {
            return new AccuracyObjectiveSpec(null, map.Location);
        }

        // Shorthand: "accuracy: macs".
        if (node.Kind == YamlNodeKind.Scalar)
        {
            _read.Choice(node, "'accuracy'", ["macs"]);
            return new AccuracyObjectiveSpec(null, node.Location);
        }

        var m = MapView.Of(node, "'accuracy'", ManifestKeys.Accuracy, _bag);
        if (m is null)
        {
            return new AccuracyObjectiveSpec(null, node.Location);
        }

        if (m.Has("predictor") && m.Has("proxy"))
        {
            _bag.Error(ManifestErrors.WrongType, "'accuracy' takes either 'predictor: FILE' or 'proxy: macs', not both", node.Location);
        }

        if (m.Has("proxy"))
        {
            _read.Choice(m.Get("proxy"), "'accuracy.proxy'", ["macs"]);
        }

        var predictor = m.Has("predictor") ? _read.Path(m.Get("predictor"), "accuracy predictor", PathKind.File, BuiltinProfileKind.AccuracyPredictor) : null;
        if (!m.Has("predictor") && !m.Has("proxy"))
        {
            _bag.Error(ManifestErrors.MissingKey, "'accuracy' needs 'predictor: FILE' (OFA's accuracy predictor) or 'proxy: macs'", node.Location);
        }

        return new AccuracyObjectiveSpec(predictor, node.Location);
    }

    private PathRef? ParseModel(YamlNode node)
    {
        var m = MapView.Of(node, "'model'", ManifestKeys.Model, _bag);
        if (m is null)
        {
            return null;
        }

        var arch = m.Required("arch", "the shipped sub-network: an OFA arch JSON file, or its key (r192-d23232-k…)", _bag);
        // The arch key the tool prints may stand in for a file: "arch: r192-d23232-k35|553|53|553|53-e34|443|43|443|44".
        if (arch is { Kind: YamlNodeKind.Scalar, IsNull: false } && ArchKey.LooksLike(arch.Text) && !File.Exists(Path.Combine(_baseDirectory, arch.Text)))
        {
            return new PathRef(arch.Text.Trim(), arch.Text.Trim(), arch.Location) { IsArchKey = true };
        }

        return _read.Path(arch, "model arch", PathKind.File);
    }

    private SearchSettings? ParseSearch(YamlNode node, OfaSpace space)
    {
        var m = MapView.Of(node, "'search'", ManifestKeys.Search, _bag);
        if (m is null)
        {
            return null;
        }

        var modeText = _read.Choice(m.Get("mode"), "search mode", ManifestKeys.SearchModes);
        var mode = modeText is null
            ? new Located<SearchMode>(SearchMode.PerDevice, m.Location)
            : new Located<SearchMode>(modeText.Value == "shared" ? SearchMode.Shared : SearchMode.PerDevice, modeText.Location);

        return new SearchSettings(
            mode,
            ParseResolutions(m.Get("resolutions"), space, m.Location),
            _read.Int(m.Get("population"), "search 'population'", 2, 100_000) ?? new(SearchSettings.DefaultPopulation, m.Location),
            _read.Int(m.Get("generations"), "search 'generations'", 1, 1_000_000) ?? new(SearchSettings.DefaultGenerations, m.Location),
            _read.OpenFraction(m.Get("parent_ratio"), "search 'parent_ratio'") ?? new(SearchSettings.DefaultParentRatio, m.Location),
            _read.Between(m.Get("mutation_ratio"), "search 'mutation_ratio'", 0, 1) ?? new(SearchSettings.DefaultMutationRatio, m.Location),
            _read.Between(m.Get("mutation_probability"), "search 'mutation_probability'", 0, 1) ?? new(SearchSettings.DefaultMutationProbability, m.Location),
            _read.Seed(m.Get("seed"), "search 'seed'") ?? new(SearchSettings.DefaultSeed, m.Location),
            _read.Bool(m.Get("thorough"), "search 'thorough'") ?? new(false, m.Location),
            _read.OpenFraction(m.Get("accuracy_floor"), "search 'accuracy_floor' (top-1 accuracy as a fraction)"),
            node.Location);
    }

    private Located<IReadOnlyList<int>> ParseResolutions(YamlNode? node, OfaSpace space, SourceLocation fallback)
    {
        if (node is null)
        {
            return new(DefaultResolutions, fallback);
        }

        if (node.Kind != YamlNodeKind.Sequence || node.Items.Count == 0)
        {
            _bag.Error(ManifestErrors.WrongType, $"search 'resolutions' must be a non-empty list of resolutions ({space.DescribeResolutions()}); got {node.Describe()}", node.Location);
            return new(DefaultResolutions, node.Location);
        }

        var list = new List<int>();
        foreach (var item in node.Items)
        {
            var r = _read.Integer(item, "a search resolution");
            if (r is null)
            {
                continue;
            }

            if (r.Value is < int.MinValue or > int.MaxValue || !space.SupportsResolution((int)r.Value))
            {
                _bag.Error(
                    ManifestErrors.BadResolution,
                    string.Create(CultureInfo.InvariantCulture, $"resolution {r.Value} is not in space {space.Name}; expected {space.DescribeResolutions()}"),
                    r.Location);
                continue;
            }

            if (!list.Contains((int)r.Value))
            {
                list.Add((int)r.Value);
            }
        }

        list.Sort();
        return new(list.Count == 0 ? DefaultResolutions : list, node.Location);
    }

    private DeviceDefaults ParseDefaults(YamlNode? node)
    {
        var builtIn = new DeviceDefaults(null, null, null, null);
        if (node is null)
        {
            return builtIn;
        }

        var m = MapView.Of(node, "'defaults'", ManifestKeys.Defaults, _bag);
        if (m is null)
        {
            return builtIn;
        }

        return new DeviceDefaults(
            _read.Int(m.Get("batch_size"), "defaults 'batch_size'", 1, 1_000_000),
            _read.OpenFraction(m.Get("confidence"), "defaults 'confidence'"),
            ParseWarnMargin(m.Get("warn_margin"), "defaults 'warn_margin'"),
            _read.OpenFraction(m.Get("calibration_confidence"), "defaults 'calibration_confidence'"));
    }

    private List<DeviceSpec>? ParseDevices(YamlNode? node, DeviceDefaults defaults)
    {
        if (node is null)
        {
            return null;
        }

        if (node.Kind != YamlNodeKind.Sequence)
        {
            _bag.Error(ManifestErrors.WrongType, $"'devices' must be a list of devices (each '- name: …'); got {node.Describe()}", node.Location);
            return null;
        }

        if (node.Items.Count == 0)
        {
            _bag.Error(ManifestErrors.NoDevices, "'devices' is empty; list at least one target device", node.Location);
            return null;
        }

        // Duplicate names are found on the names as written, so a device with errors of its own
        // still counts (a 10-mistake manifest reports 10).
        var names = new Dictionary<string, SourceLocation>(StringComparer.OrdinalIgnoreCase);
        var duplicates = new HashSet<int>();
        for (var i = 0; i < node.Items.Count; i++)
        {
            if (node.Items[i].Kind != YamlNodeKind.Mapping
                || node.Items[i].Pairs.FirstOrDefault(p => p.Key.Text == "name").Value is not { Kind: YamlNodeKind.Scalar, IsNull: false } nameNode)
            {
                continue;
            }

            if (names.TryGetValue(nameNode.Text, out var first))
            {
                // A device repeated through an alias ('- *phone') is reported where the alias is written.
                var written = i < node.ItemLocations.Count ? node.ItemLocations[i] : node.Items[i].Location;
                var repeatedByAlias = written != node.Items[i].Location;
                _bag.Error(
                    ManifestErrors.DuplicateDevice,
                    repeatedByAlias
                        ? $"device name '{EchoText.Cut(nameNode.Text)}' is used twice: this alias repeats the device at line {first.Line.ToString(CultureInfo.InvariantCulture)}; device names must be unique (case-insensitively)"
                        : $"device name '{EchoText.Cut(nameNode.Text)}' is used twice (first at line {first.Line.ToString(CultureInfo.InvariantCulture)}); device names must be unique (case-insensitively)",
                    repeatedByAlias ? written : nameNode.Location);
                duplicates.Add(i);
            }
            else
            {
                names[nameNode.Text] = nameNode.Location;
            }
        }

        var devices = new List<DeviceSpec>();
        var complete = true;
        for (var i = 0; i < node.Items.Count; i++)
        {
            var device = ParseDevice(node.Items[i], i, defaults);
            if (device is null || duplicates.Contains(i))
            {
                complete = false;
                continue;
            }

            devices.Add(device);
        }

        // Names of every device written, valid or not, so a broken device does not also make its proxies "unknown".
        var declared = node.Items
            .Where(i => i.Kind == YamlNodeKind.Mapping)
            .SelectMany(i => i.Pairs)
            .Where(p => p.Key.Text == "name" && p.Value.Kind == YamlNodeKind.Scalar)
            .Select(p => p.Value.Text)
            .ToHashSet(StringComparer.OrdinalIgnoreCase);
        CheckProxyReferences(devices, declared);
        return complete ? devices : null;
    }

    private DeviceSpec? ParseDevice(YamlNode node, int index, DeviceDefaults defaults)
    {
        var provisional = string.Create(CultureInfo.InvariantCulture, $"device #{index + 1}");
        if (node.Kind == YamlNodeKind.Mapping)
        {
            var nameNode = node.Pairs.FirstOrDefault(p => p.Key.Text == "name").Value;
            if (nameNode is { Kind: YamlNodeKind.Scalar, IsNull: false })
            {
                provisional = $"device '{EchoText.Cut(nameNode.Text)}'";
            }
        }

        var m = MapView.Of(node, provisional, ManifestKeys.Device, _bag);
        if (m is null)
        {
            return null;
        }

        var name = _read.String(m.Required("name", "a unique device name", _bag), $"the name of {provisional}");
        if (name is not null && !DeviceNames.IsValid(name.Value))
        {
            _bag.Error(ManifestErrors.WrongType, $"device name '{EchoText.Cut(name.Value)}' must be 1–64 letters, digits, '-', '_' or '.'", name.Location);
            name = null;
        }

        var where = m.Where;
        var budget = _read.Positive(m.Required("budget_ms", "the latency budget in milliseconds, > 0", _bag), $"'budget_ms' of {where}");
        // No latency is measured above 1e9 ms (11 days; the measurements' bound), and 1e300 printed as 300 digits.
        if (budget is not null && budget.Value > LatencyGate.Measurements.MeasurementsCsv.MaxLatencyMs)
        {
            _bag.Error(ManifestErrors.OutOfRange, string.Create(CultureInfo.InvariantCulture, $"'budget_ms' of {where} must be at most 1e9 ms (11 days, the largest latency measured); got {budget.Value:G6}"), budget.Location);
            budget = null;
        }
        var batch = _read.Int(m.Get("batch_size"), $"'batch_size' of {where}", 1, 1_000_000) ?? defaults.BatchSize ?? new(1, m.Location);
        var confidence = m.Has("confidence") ? _read.OpenFraction(m.Get("confidence"), $"'confidence' of {where}") : defaults.Confidence;
        var calibrationConfidence = m.Has("calibration_confidence") ? _read.OpenFraction(m.Get("calibration_confidence"), $"'calibration_confidence' of {where}") : defaults.CalibrationConfidence;
        var margin = (m.Has("warn_margin") ? ParseWarnMargin(m.Get("warn_margin"), $"'warn_margin' of {where}") : defaults.WarnMargin)
            ?? new(WarnMargin.Default, m.Location);
        var hardware = m.Get("hardware") is { } hw ? ParseHardware(hw, $"'hardware' of {where}") : null;
        var predictor = ParsePredictor(m.Required("predictor", "where the device's latency predictor comes from (lut, file, finetune, generalized, proxy or calibrate)", _bag), where, hardware, name?.Value ?? string.Empty, batch.Value);

        if (name is null || budget is null || predictor is null || (m.Has("hardware") && hardware is null))
        {
            return null;
        }

        if (margin.Value.IsMilliseconds && margin.Value.Value >= budget.Value)
        {
            _bag.Error(
                ManifestErrors.OutOfRange,
                string.Create(CultureInfo.InvariantCulture, $"'warn_margin' of {where} ({margin.Value}) must be smaller than its budget ({budget.Value} ms)"),
                margin.Location);
        }

        return new DeviceSpec(name, budget, batch, confidence, margin, hardware?.Complete(name.Value, batch.Value), predictor, node.Location) { CalibrationConfidence = calibrationConfidence };
    }

    private Located<WarnMargin>? ParseWarnMargin(YamlNode? node, string what)
    {
        if (node is null)
        {
            return null;
        }

        const string expected = "a fraction of the budget in [0, 1) such as 0.1 (unquoted), a percentage such as \"10%\", or milliseconds such as \"2ms\"";
        if (node.Kind == YamlNodeKind.Scalar && !node.IsNull)
        {
            var text = node.Text.Trim();
            var isMs = text.EndsWith("ms", StringComparison.OrdinalIgnoreCase);
            var isPercent = text.EndsWith('%');
            var number = isMs ? text[..^2] : isPercent ? text[..^1] : text;
            if ((node.IsPlain || isMs || isPercent)
                && double.TryParse(number.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var value)
                && double.IsFinite(value))
            {
                var fraction = isPercent ? value / 100 : value;
                if (isMs ? value < 0 : fraction is < 0 or >= 1)
                {
                    _bag.Error(ManifestErrors.OutOfRange, $"{what} is out of range; expected {expected}; got {node.Describe()}", node.Location);
                    return null;
                }

                return new(new WarnMargin(isMs ? value : fraction, isMs), node.Location);
            }
        }

        _bag.Error(ManifestErrors.WrongType, $"{what} must be {expected}; got {node.Describe()}", node.Location);
        return null;
    }

    private HardwareFields? ParseHardware(YamlNode node, string where)
    {
        var m = MapView.Of(node, where, ManifestKeys.Hardware, _bag);
        if (m is null)
        {
            return null;
        }

        return new HardwareFields(
            _read.Choice(m.Get("kind"), $"{where} kind", HardwareSpec.Kinds),
            _read.Int(m.Get("cores"), $"{where} cores", 1, 1_000_000),
            _read.Positive(m.Get("memory_gb"), $"{where} memory_gb"),
            _read.Positive(m.Get("memory_bandwidth_gbps"), $"{where} memory_bandwidth_gbps"),
            _read.Positive(m.Get("peak_fp32_gflops"), $"{where} peak_fp32_gflops"),
            _read.Positive(m.Get("frequency_ghz"), $"{where} frequency_ghz"),
            node.Location);
    }

    private PredictorSource? ParsePredictor(YamlNode? node, string where, HardwareFields? deviceHardware, string deviceName, int batchSize)
    {
        if (node is null)
        {
            return null;
        }

        var m = MapView.Of(node, $"the predictor of {where}", ManifestKeys.Predictor, _bag);
        if (m is null)
        {
            return null;
        }

        var kinds = m.PresentKeys.ToArray();
        if (kinds.Length != 1)
        {
            var problem = kinds.Length == 0 ? "names no source" : $"names {kinds.Length} sources ({string.Join(", ", kinds)})";
            _bag.Error(
                ManifestErrors.PredictorSourceCount,
                $"the predictor of {where} {problem}; expected exactly one of: {string.Join(", ", ManifestKeys.Predictor)}",
                node.Location);
            return null;
        }

        var kind = kinds[0];
        var value = m.Get(kind)!;
        var at = m.KeyNode(kind)!.Location;
        return kind switch
        {
            "lut" => ParseLut(value, where, at),
            "file" => _read.Path(value, $"predictor file of {where}", PathKind.File) is { } file ? new FileSource(file, at) : null,
            "finetune" => ParseFinetune(value, where, at),
            "generalized" => ParseGeneralized(value, where, at, deviceHardware, deviceName, batchSize),
            "proxy" => ParseProxy(value, where, at),
            "measure" => ParseMeasure(value, where, at, deviceHardware, deviceName, batchSize),
            _ => ParseCalibrate(value, where, at),
        };
    }

    /// <summary><c>lut: FOLDER</c>, or <c>lut: {path: FOLDER, interpolate: true}</c> (the twin of <c>--interpolate</c>).</summary>
    private LutSource? ParseLut(YamlNode node, string where, SourceLocation at)
    {
        if (node.Kind == YamlNodeKind.Scalar)
        {
            return _read.Path(node, $"lookup-table folder of {where}", PathKind.Directory, BuiltinProfileKind.LookupTables) is { } dir ? new LutSource(dir, at) : null;
        }

        var m = MapView.Of(node, $"'lut' of {where}", ManifestKeys.Lut, _bag);
        if (m is null)
        {
            return null;
        }

        var path = _read.Path(m.Required("path", "the lookup-table folder (or builtin:note10)", _bag), $"lookup-table folder of {where}", PathKind.Directory, BuiltinProfileKind.LookupTables);
        var interpolate = _read.Bool(m.Get("interpolate"), $"'interpolate' of the lookup tables of {where}");
        return path is null ? null : new LutSource(path, at) { Interpolate = interpolate?.Value ?? false };
    }

    private FinetuneSource? ParseFinetune(YamlNode node, string where, SourceLocation at)
    {
        var m = MapView.Of(node, $"'finetune' of {where}", ManifestKeys.Finetune, _bag);
        if (m is null)
        {
            return null;
        }

        var basePath = _read.Path(m.Required("base", "the base predictor file or lookup-table folder (or builtin:note10, builtin:macs)", _bag), $"finetune base of {where}", PathKind.FileOrDirectory, BuiltinProfileKind.LookupTables, macsBase: true);
        var measurements = _read.Path(m.Required("measurements", "a CSV of this device's measured latencies", _bag), $"measurements of {where}", PathKind.File);
        var strategy = m.Has("strategy")
            ? _read.Choice(m.Get("strategy"), $"finetune strategy of {where}", FinetuneSource.Strategies)
            : new Located<string>("auto", m.Location);
        var shots = _read.Int(m.Get("shots"), $"finetune 'shots' of {where}", 1, int.MaxValue);
        var column = _read.String(m.Get("latency_column"), $"'latency_column' of {where}");
        var engine = ParseEngine(m.Get("engine"), where);
        return basePath is null || measurements is null || strategy is null || (m.Has("shots") && shots is null) || (m.Has("engine") && engine is null)
            ? null
            : new FinetuneSource(basePath, measurements, strategy, shots, column, at) { Engine = engine };
    }

    private GeneralizedSource? ParseGeneralized(YamlNode node, string where, SourceLocation at, HardwareFields? deviceHardware, string deviceName, int batchSize)
    {
        var m = MapView.Of(node, $"'generalized' of {where}", ManifestKeys.Generalized, _bag);
        if (m is null)
        {
            return null;
        }

        var predictor = _read.Path(m.Required("predictor", "a hardware-generalized predictor file", _bag), $"generalized predictor of {where}", PathKind.File);
        var hardware = m.Get("hardware") is { } hw ? ParseHardware(hw, $"'generalized.hardware' of {where}") : deviceHardware;
        if (hardware is null)
        {
            if (!m.Has("hardware"))
            {
                _bag.Error(ManifestErrors.MissingHardware, $"the generalized predictor of {where} needs the device's 'hardware' specs (cores, memory_gb, memory_bandwidth_gbps, peak_fp32_gflops)", at);
            }

            return null;
        }

        var missing = new List<string>();
        if (hardware.Cores is null)
        {
            missing.Add("cores");
        }

        if (hardware.MemoryGb is null)
        {
            missing.Add("memory_gb");
        }

        if (hardware.MemoryBandwidthGbps is null)
        {
            missing.Add("memory_bandwidth_gbps");
        }

        if (hardware.PeakFp32Gflops is null)
        {
            missing.Add("peak_fp32_gflops");
        }

        if (missing.Count > 0)
        {
            _bag.Error(ManifestErrors.MissingHardware, $"the generalized predictor of {where} needs hardware {string.Join(", ", missing)}", hardware.Location);
            return null;
        }

        return predictor is null ? null : new GeneralizedSource(predictor, hardware.Complete(deviceName, batchSize)!, at);
    }

    private ProxySource? ParseProxy(YamlNode node, string where, SourceLocation at)
    {
        var m = MapView.Of(node, $"'proxy' of {where}", ManifestKeys.Proxy, _bag);
        if (m is null)
        {
            return null;
        }

        var device = _read.String(m.Required("device", "the name of another device of this manifest", _bag), $"proxy device of {where}");
        var measurements = _read.Path(m.Required("measurements", "a CSV of this device's measured latencies", _bag), $"measurements of {where}", PathKind.File);
        var column = _read.String(m.Get("latency_column"), $"'latency_column' of {where}");
        var engine = ParseEngine(m.Get("engine"), where);
        return device is null || measurements is null || (m.Has("engine") && engine is null) ? null : new ProxySource(device, measurements, column, at) { Engine = engine };
    }

    /// <summary>
    /// <c>engine: managed|torch</c> of a source that trains (finetune, proxy). An unknown name is
    /// LG0853 here; whether the host has the engine is decided when the predictor is built (LG0855,
    /// LG0850–LG0852).
    /// </summary>
    private Located<string>? ParseEngine(YamlNode? node, string where)
    {
        var engine = _read.String(node, $"'engine' of {where}");
        if (engine is null)
        {
            return null;
        }

        // Without regard to case, as --engine: 'engine: Torch' was LG0853 while 'fit --engine Torch' trained.
        if (ManagedTrainingEngine.EngineNames.FirstOrDefault(n => string.Equals(n, engine.Value, StringComparison.OrdinalIgnoreCase)) is { } known)
        {
            return new(known, engine.Location);
        }

        _bag.Error(EngineErrors.UnknownEngine, $"unknown training engine '{EchoText.Cut(engine.Value)}' for {where}{DidYouMean.Hint(engine.Value, ManagedTrainingEngine.EngineNames)}; expected {string.Join(" or ", ManagedTrainingEngine.EngineNames)}", engine.Location);
        return null;
    }

    /// <summary><c>measure: {runtime: onnxruntime, threads: 1, warmup: 10, runs: 30, passes: 3, inconclusive: fail, predictor: {…}}</c>.</summary>
    private MeasureSource? ParseMeasure(YamlNode node, string where, SourceLocation at, HardwareFields? deviceHardware, string deviceName, int batchSize)
    {
        var m = MapView.Of(node, $"'measure' of {where}", ManifestKeys.Measure, _bag);
        if (m is null)
        {
            return null;
        }

        var runtime = _read.String(m.Get("runtime"), $"'runtime' of {where}") ?? new("onnxruntime", at);
        var threads = _read.Int(m.Get("threads"), $"'threads' of {where}", 1, 1024)?.Value ?? 1;
        var warmup = _read.Int(m.Get("warmup"), $"'warmup' of {where}", 0, 100_000)?.Value ?? 10;
        var runs = _read.Int(m.Get("runs"), $"'runs' of {where}", 3, 100_000)?.Value ?? 30;
        var passes = _read.Int(m.Get("passes"), $"'passes' of {where}", 1, 100)?.Value ?? 3;
        var inconclusive = m.Has("inconclusive")
            ? _read.Choice(m.Get("inconclusive"), $"'inconclusive' of {where}", MeasureSource.InconclusiveChoices)
            : new Located<string>("fail", at);
        PredictorSource? predictor = null;
        if (m.Get("predictor") is { } nested)
        {
            predictor = ParsePredictor(nested, where, deviceHardware, deviceName, batchSize);
            if (predictor is null)
            {
                return null;
            }

            if (predictor is MeasureSource or ProxySource)
            {
                _bag.Error(ManifestErrors.WrongType, $"the predictor under 'measure' of {where} must be lut, file, finetune, generalized or calibrate (what search uses before the pick is measured)", nested.Location);
                return null;
            }
        }

        return inconclusive is null ? null : new MeasureSource(runtime, threads, warmup, runs, passes, inconclusive, predictor, at);
    }

    private CalibrateSource? ParseCalibrate(YamlNode node, string where, SourceLocation at)
    {
        var m = MapView.Of(node, $"'calibrate' of {where}", ManifestKeys.Calibrate, _bag);
        if (m is null)
        {
            return null;
        }

        var basePath = _read.Path(m.Required("base", "the predictor file or lookup-table folder to calibrate", _bag), $"calibrate base of {where}", PathKind.FileOrDirectory, BuiltinProfileKind.LookupTables);
        var measurements = _read.Path(m.Required("measurements", "a CSV of this device's measured latencies", _bag), $"measurements of {where}", PathKind.File);
        var column = _read.String(m.Get("latency_column"), $"'latency_column' of {where}");
        return basePath is null || measurements is null ? null : new CalibrateSource(basePath, measurements, column, at);
    }

    private void CheckProxyReferences(List<DeviceSpec> devices, HashSet<string> declared)
    {
        var byName = devices.ToDictionary(d => d.Name.Value, StringComparer.OrdinalIgnoreCase);
        foreach (var device in devices)
        {
            if (device.Predictor is not ProxySource proxy)
            {
                continue;
            }

            var target = proxy.Device;
            if (string.Equals(target.Value, device.Name.Value, StringComparison.OrdinalIgnoreCase))
            {
                _bag.Error(ManifestErrors.BadProxyReference, $"device '{EchoText.Cut(device.Name.Value)}' cannot be its own proxy; name another device", target.Location);
                continue;
            }

            if (!byName.ContainsKey(target.Value))
            {
                if (declared.Contains(target.Value))
                {
                    continue;
                }

                _bag.Error(
                    ManifestErrors.BadProxyReference,
                    $"proxy device '{EchoText.Cut(target.Value)}' of device '{EchoText.Cut(device.Name.Value)}' is not in this manifest{DidYouMean.Hint(target.Value, byName.Keys)}; expected one of: {string.Join(", ", byName.Keys.Where(k => k != device.Name.Value))}",
                    target.Location);
                continue;
            }

            // Follow the chain; a bounded walk, since a cycle would otherwise loop forever.
            var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { device.Name.Value };
            var current = target.Value;
            for (var step = 0; step <= devices.Count; step++)
            {
                if (!byName.TryGetValue(current, out var next) || next.Predictor is not ProxySource p)
                {
                    break;
                }

                if (!seen.Add(current) || string.Equals(p.Device.Value, device.Name.Value, StringComparison.OrdinalIgnoreCase))
                {
                    _bag.Error(ManifestErrors.BadProxyReference, $"proxy devices of '{EchoText.Cut(device.Name.Value)}' form a cycle through '{current}'; a chain of proxies must end at a device with its own predictor", target.Location);
                    break;
                }

                current = p.Device.Value;
            }
        }
    }

    private OutputSettings? ParseOutputs(YamlNode? node, SourceLocation rootLocation)
    {
        var allFormats = Enum.GetValues<ReportFormat>();
        var formatNames = allFormats.Select(ReportFormats.Name).ToArray();
        var defaultDir = new PathRef("latency-gate-reports", Path.GetFullPath(Path.Combine(_baseDirectory, "latency-gate-reports")), rootLocation);
        if (node is null)
        {
            return new OutputSettings(defaultDir, new(ReportFormats.Defaults, rootLocation), rootLocation);
        }

        var m = MapView.Of(node, "'outputs'", ManifestKeys.Outputs, _bag);
        if (m is null)
        {
            return null;
        }

        var dir = m.Has("dir") ? _read.Path(m.Get("dir"), "outputs 'dir'", PathKind.Any) : defaultDir;
        Located<IReadOnlyList<ReportFormat>> formats = new(ReportFormats.Defaults, m.Location);
        if (m.Get("formats") is { } fnode)
        {
            if (fnode.Kind != YamlNodeKind.Sequence)
            {
                _bag.Error(ManifestErrors.WrongType, $"outputs 'formats' must be a list drawn from: {string.Join(", ", formatNames)}; got {fnode.Describe()}", fnode.Location);
                return null;
            }

            var list = new List<ReportFormat>();
            foreach (var item in fnode.Items)
            {
                var choice = _read.Choice(item, "report format", formatNames);
                if (choice is not null && ReportFormats.TryParse(choice.Value, out var f) && !list.Contains(f))
                {
                    list.Add(f);
                }
            }

            // An empty list wrote no report and said nothing (as `check --format ""` did before LG0521).
            if (fnode.Items.Count == 0)
            {
                _bag.Error(ManifestErrors.NoReportFormat, $"outputs 'formats' is an empty list, so no report would be written; name at least one of: {string.Join(", ", formatNames)}, or drop 'formats' for the defaults ({string.Join(", ", ReportFormats.Defaults.Select(ReportFormats.Name))})", fnode.Location);
                return null;
            }

            formats = new(list, fnode.Location);
        }

        return dir is null ? null : new OutputSettings(dir, formats, node.Location);
    }

    private sealed record DeviceDefaults(Located<int>? BatchSize, Located<double>? Confidence, Located<WarnMargin>? WarnMargin, Located<double>? CalibrationConfidence);

    /// <summary>The figures a <c>hardware</c> mapping gives, each optional with its location, until the device is known.</summary>
    private sealed record HardwareFields(
        Located<string>? Kind,
        Located<int>? Cores,
        Located<double>? MemoryGb,
        Located<double>? MemoryBandwidthGbps,
        Located<double>? PeakFp32Gflops,
        Located<double>? FrequencyGhz,
        SourceLocation Location)
    {
        /// <summary>The device's spec sheet, or null while a figure the generalized predictor needs is missing.</summary>
        public HardwareSpec? Complete(string deviceName, int batchSize) =>
            Cores is null || MemoryGb is null || MemoryBandwidthGbps is null || PeakFp32Gflops is null
                ? null
                : new HardwareSpec(deviceName, Cores.Value, MemoryGb.Value, MemoryBandwidthGbps.Value, PeakFp32Gflops.Value, batchSize)
                {
                    Kind = Kind?.Value,
                    FrequencyGhz = FrequencyGhz?.Value,
                };
    }
}
