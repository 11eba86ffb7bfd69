using System.Globalization;
using System.Text.RegularExpressions;
using LatencyGate.Diagnostics;
using LatencyGate.Spaces;

namespace LatencyGate.Predictors.Lut;

/// <summary>
/// OFA's lookup-table latency: the sum of the per-layer <c>mean</c> of every layer of the
/// sub-network (first conv, first block, active blocks, Conv_1, AvgPool2D, Conv_2, Logits), read
/// from a folder of <c>{r}_lookup_table.yaml</c> or <c>.json</c>. With interpolation on, a
/// resolution without a table is interpolated linearly, layer by layer, between the two nearest
/// tables.
/// </summary>
internal sealed partial class LookupTablePredictor : ILatencyPredictor
{
    private readonly SortedDictionary<int, CompiledTable> _tables;

    private LookupTablePredictor(OfaSpace space, string folder, SortedDictionary<int, CompiledTable> tables, bool interpolate, string? name, bool inAdaptedFile)
    {
        InAdaptedFile = inAdaptedFile;
        Space = space;
        Folder = folder;
        _tables = tables;
        AllowInterpolation = interpolate;
        Name = name ?? System.IO.Path.GetFileName(folder.TrimEnd('/', '\\'));
    }

    public OfaSpace Space { get; }

    public string Folder { get; }

    public bool AllowInterpolation { get; }

    public IReadOnlyCollection<int> Resolutions => _tables.Keys;

    /// <summary>The tables, in ascending resolution (what an adapted predictor file embeds).</summary>
    public IEnumerable<LutTable> Tables => _tables.Values.Select(t => t.Table);

    /// <summary>Whether these are the base of an adapted predictor file (<see cref="Folder"/> is that file), whose advice differs.</summary>
    public bool InAdaptedFile { get; }

    /// <summary>What <see cref="Description"/> calls the tables: the folder's name, or the name recorded with an embedded copy.</summary>
    public string Name { get; }

    public string Description => string.Create(
        CultureInfo.InvariantCulture,
        $"LUT {Name} ({_tables.Count} resolutions, {_tables.Keys.First()}..{_tables.Keys.Last()}{(AllowInterpolation ? ", interpolating" : string.Empty)})");

    public IntervalMethod IntervalMethod => IntervalMethod.None;

    /// <summary>Loads every table of the folder (all of them, so a broken folder fails up front).</summary>
    public static LookupTablePredictor Load(string folder, OfaSpace space, bool interpolate = false)
    {
        ArgumentNullException.ThrowIfNull(folder);
        ArgumentNullException.ThrowIfNull(space);
        if (Profiles.BuiltinProfiles.IsReference(folder))
        {
            return Profiles.BuiltinProfiles.LoadLookupTables(folder, space, interpolate);
        }

        return FromTables(folder, ReadFolder(folder), space, interpolate);
    }

    /// <summary>
    /// The space a folder of tables was measured for, judged by the first conv's key (its output
    /// width differs between w1.0 and w1.2); null when it matches none.
    /// </summary>
    public static OfaSpace? DetectSpace(string folder)
    {
        ArgumentNullException.ThrowIfNull(folder);
        var tables = Profiles.BuiltinProfiles.IsReference(folder)
            ? Profiles.BuiltinProfiles.LookupTables(folder)
            : ReadFolder(folder);
        return DetectSpace(tables);
    }

    /// <summary>
    /// Builds the predictor from tables already read (a folder's files, a built-in profile, or the copy an
    /// adapted predictor file holds (<paramref name="inAdaptedFile"/>): then <paramref name="folder"/> is that
    /// file, where errors point, and <paramref name="name"/> the name of the folder or profile it was read from).
    /// </summary>
    internal static LookupTablePredictor FromTables(string folder, IReadOnlyList<LutTable> tables, OfaSpace space, bool interpolate, string? name = null, bool inAdaptedFile = false)
    {
        var compiled = new SortedDictionary<int, CompiledTable>();
        foreach (var table in tables)
        {
            if (compiled.TryGetValue(table.Resolution, out var existing))
            {
                throw new LatencyGateException(
                    LutErrors.DuplicateResolution,
                    string.Create(CultureInfo.InvariantCulture, $"two tables for resolution {table.Resolution}: {System.IO.Path.GetFileName(existing.Table.Path)} and {System.IO.Path.GetFileName(table.Path)}"),
                    new SourceLocation(table.Path));
            }

            compiled.Add(table.Resolution, new CompiledTable(table, OfaGeometry.For(space, table.Resolution)));
        }

        if (compiled.Count == 0)
        {
            throw new LatencyGateException(
                LutErrors.NoTables,
                "lookup-table folder holds no {r}_lookup_table.yaml or {r}_lookup_table.json file: put the device's OFA tables there (one per resolution), or name OFA's Note10 tables built into the tool, builtin:note10 (space ofa-mbv3-w1.2)",
                new SourceLocation(folder));
        }

        // A table of the other width fails on its very first layer for every arch; say so once, up front,
        // instead of a missing-entry error from the middle of a search.
        var first = compiled.First();
        if (!first.Value.Table.TryGetMean(OfaGeometry.For(space, first.Key).FirstConv.LutKey, out _))
        {
            var other = DetectSpace(tables);
            var key = OfaGeometry.For(space, first.Key).FirstConv.LutKey;
            if (other?.Name == space.Name)
            {
                // The other tables are of this width: this one lacks its first conv (cut short, or named
                // for another resolution), which "they look like tables of <this space>" did not say.
                throw new LatencyGateException(
                    LutErrors.MissingKey,
                    string.Create(CultureInfo.InvariantCulture, $"{System.IO.Path.GetFileName(first.Value.Table.Path)} has no entry '{key}' for the first conv, which every arch at resolution {first.Key} needs: the table is incomplete or is not of resolution {first.Key}"),
                    new SourceLocation(first.Value.Table.Path));
            }

            var looksLike = other is null
                ? "it matches neither OFA MobileNetV3 space"
                : $"they look like tables of {other.Name}";
            throw new LatencyGateException(
                LutErrors.WrongSpace,
                string.Create(
                    CultureInfo.InvariantCulture,
                    $"lookup tables '{folder}' do not fit space {space.Name}: {System.IO.Path.GetFileName(first.Value.Table.Path)} has no entry '{OfaGeometry.For(space, first.Key).FirstConv.LutKey}' for the first conv; {looksLike}{(other is null ? string.Empty : $" (set space: {other.Name}, or --space {other.Name})")}"),
                new SourceLocation(folder));
        }

        return new LookupTablePredictor(space, folder, compiled, interpolate, name, inAdaptedFile);
    }

    private static OfaSpace? DetectSpace(IReadOnlyList<LutTable> tables)
    {
        foreach (var table in tables)
        {
            foreach (var candidate in OfaSpace.All)
            {
                if (candidate.SupportsResolution(table.Resolution) && table.TryGetMean(OfaGeometry.For(candidate, table.Resolution).FirstConv.LutKey, out _))
                {
                    return candidate;
                }
            }
        }

        return null;
    }

    private static List<LutTable> ReadFolder(string folder)
    {
        if (!Directory.Exists(folder))
        {
            throw new LatencyGateException(
                LutErrors.FolderMissing,
                File.Exists(folder)
                    ? "the lookup-table path is a file; expected a folder of {r}_lookup_table.yaml or .json files"
                    : "lookup-table folder does not exist",
                new SourceLocation(folder));
        }

        var tables = new List<LutTable>();
        foreach (var file in Directory.EnumerateFiles(folder).Order(StringComparer.Ordinal))
        {
            var match = TableFileName().Match(System.IO.Path.GetFileName(file));
            if (match.Success)
            {
                tables.Add(LutTable.Load(file, int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture)));
            }
        }

        return tables;
    }

    /// <summary>Whether an arch at <paramref name="resolution"/> can be predicted: its own table, or two around it with interpolation on.</summary>
    public bool Covers(int resolution) =>
        _tables.ContainsKey(resolution)
        || (AllowInterpolation && _tables.Count >= 2 && resolution > _tables.Keys.First() && resolution < _tables.Keys.Last());

    public double Predict(Arch arch)
    {
        ArgumentNullException.ThrowIfNull(arch);
        if (_tables.TryGetValue(arch.Resolution, out var table))
        {
            return table.Sum(arch);
        }

        var (low, high, t) = Bracket(arch.Resolution);
        var lo = _tables[low].Sum(Reresolve(arch, low));
        var hi = _tables[high].Sum(Reresolve(arch, high));
        return lo + (t * (hi - lo));
    }

    public void Predict(ReadOnlySpan<Arch> archs, Span<double> latencyMs)
    {
        if (latencyMs.Length < archs.Length)
        {
            throw new ArgumentException("output span is shorter than the input", nameof(latencyMs));
        }

        for (var i = 0; i < archs.Length; i++)
        {
            latencyMs[i] = Predict(archs[i]);
        }
    }

    public void PredictWithInterval(ReadOnlySpan<Arch> archs, double confidence, Span<LatencyEstimate> estimates)
    {
        if (estimates.Length < archs.Length)
        {
            throw new ArgumentException("output span is shorter than the input", nameof(estimates));
        }

        for (var i = 0; i < archs.Length; i++)
        {
            estimates[i] = LatencyEstimate.Exact(Predict(archs[i]));
        }
    }

    /// <summary>Per-layer latencies (the layers at the arch's own resolution, even when interpolated).</summary>
    public LutBreakdown Explain(Arch arch)
    {
        ArgumentNullException.ThrowIfNull(arch);
        var layers = OfaMobileNetV3.Layers(arch, Space);
        if (_tables.TryGetValue(arch.Resolution, out var table))
        {
            var rows = layers.Select(l => new LutLayerLatency(l, table.Mean(l))).ToArray();
            return new LutBreakdown(rows, rows.Sum(r => r.LatencyMs), null);
        }

        var (low, high, t) = Bracket(arch.Resolution);
        var lowLayers = OfaMobileNetV3.Layers(Reresolve(arch, low), Space);
        var highLayers = OfaMobileNetV3.Layers(Reresolve(arch, high), Space);
        var result = new LutLayerLatency[layers.Count];
        for (var i = 0; i < layers.Count; i++)
        {
            var a = _tables[low].Mean(lowLayers[i]);
            var b = _tables[high].Mean(highLayers[i]);
            result[i] = new LutLayerLatency(layers[i], a + (t * (b - a)));
        }

        return new LutBreakdown(result, result.Sum(r => r.LatencyMs), (low, high));
    }

    private static Arch Reresolve(Arch arch, int resolution) =>
        Arch.CreateTrusted(arch.KernelSizes.ToArray(), arch.ExpandRatios.ToArray(), arch.Depths.ToArray(), resolution);

    private (int Low, int High, double T) Bracket(int resolution)
    {
        var keys = _tables.Keys.ToArray();
        // Only between two tables: extrapolating a table set (OFA's jump 160 -> 164 shows why) is not trustworthy.
        // Outside the tables' range, --interpolate cannot help: say so at once rather than suggest it.
        var outside = keys.Length > 0 && (resolution < keys[0] || resolution > keys[^1]);
        var outsideAdvice = keys.Length == 0 ? string.Empty : string.Create(
            CultureInfo.InvariantCulture,
            $"; use archs at resolutions within {keys[0]}..{keys[^1]} (sample --resolutions {string.Join(",", keys)} draws only those) or leave the archs at {resolution} out");
        if (!AllowInterpolation || _tables.Count < 2)
        {
            var what = InAdaptedFile ? $"the tables this adapted predictor was made from ({Name}) have" : Folder.StartsWith("builtin:", StringComparison.Ordinal) ? $"{Folder} has tables for" : "the folder has";
            var advice = outside
                ? string.Create(CultureInfo.InvariantCulture, $"; {resolution} lies outside their range, so interpolation cannot cover it either{outsideAdvice}")
                : AllowInterpolation ? " (interpolation needs at least two tables)"
                : InAdaptedFile ? "; predict only those resolutions (search: {resolutions: […]}), or refit the file with fit --base … --interpolate to use the two nearest tables"
                : "; ask for interpolation (--interpolate) to use the two nearest tables";
            throw new LatencyGateException(
                LutErrors.NoTableForResolution,
                string.Create(CultureInfo.InvariantCulture, $"no lookup table for resolution {resolution}; {what} {string.Join(", ", _tables.Keys)}{advice}"),
                new SourceLocation(Folder));
        }

        var above = Array.FindIndex(keys, k => k > resolution);
        if (above <= 0)
        {
            throw new LatencyGateException(
                LutErrors.NoTableForResolution,
                string.Create(CultureInfo.InvariantCulture, $"no lookup table for resolution {resolution}, and it lies outside the tables' range {keys[0]}..{keys[^1]}, so it cannot be interpolated{outsideAdvice}"),
                new SourceLocation(Folder));
        }

        var (low, high) = (keys[above - 1], keys[above]);
        return (low, high, (resolution - low) / (double)(high - low));
    }

    // ASCII digits, at most 4 (OFA's resolutions have 3): \d+ took '١٩٢' and '99999999999', which int.Parse refused.
    [GeneratedRegex(@"^([0-9]{1,4})_lookup_table\.(yaml|yml|json)$", RegexOptions.CultureInvariant)]
    private static partial Regex TableFileName();

    /// <summary>A table with its entries resolved against the geometry of its resolution.</summary>
    private sealed class CompiledTable
    {
        private readonly OfaGeometry _geometry;
        private readonly double[] _blocks = new double[Arch.SlotCount * 9];
        private readonly double _head;
        private readonly double[] _tail;

        public CompiledTable(LutTable table, OfaGeometry geometry)
        {
            Table = table;
            _geometry = geometry;
            _head = Lookup(geometry.FirstConv) + Lookup(geometry.FirstBlock);
            _tail = [.. geometry.Tail.Select(Lookup)];
            for (var slot = 0; slot < Arch.SlotCount; slot++)
            {
                for (var k = 0; k < 3; k++)
                {
                    for (var e = 0; e < 3; e++)
                    {
                        _blocks[(slot * 9) + (k * 3) + e] = Lookup(geometry.Block(slot, OfaSpace.KernelSizeChoices[k], OfaSpace.ExpandRatioChoices[e]));
                    }
                }
            }
        }

        public LutTable Table { get; }

        public double Sum(Arch arch)
        {
            // NaN marks a missing entry; it is reported only when an arch actually needs it.
            var total = _head;
            if (double.IsNaN(total))
            {
                total = Mean(double.IsNaN(Lookup(_geometry.FirstConv)) ? _geometry.FirstConv : _geometry.FirstBlock);
            }

            var ks = arch.KernelSizes;
            var ex = arch.ExpandRatios;
            for (var slot = 0; slot < Arch.SlotCount; slot++)
            {
                if (arch.IsActive(slot))
                {
                    var v = _blocks[(slot * 9) + (OfaGeometry.KernelIndex(ks[slot]) * 3) + OfaGeometry.ExpandIndex(ex[slot])];
                    total += double.IsNaN(v) ? Mean(_geometry.Block(slot, ks[slot], ex[slot])) : v;
                }
            }

            for (var i = 0; i < _tail.Length; i++)
            {
                total += double.IsNaN(_tail[i]) ? Mean(_geometry.Tail[i]) : _tail[i];
            }

            return total;
        }

        public double Mean(OfaLayer layer)
        {
            var key = layer.LutKey;
            if (Table.TryGetMean(key, out var mean))
            {
                return mean;
            }

            throw new LatencyGateException(
                LutErrors.MissingKey,
                $"lookup table has no entry '{key}' needed by {Describe(layer)}",
                new SourceLocation(Table.Path));
        }

        private static string Describe(OfaLayer layer) => layer.Kind switch
        {
            OfaLayerKind.FirstConv => "the first conv",
            OfaLayerKind.FirstBlock => "the first block",
            OfaLayerKind.FinalExpand => "the final expand layer (Conv_1)",
            OfaLayerKind.AvgPool => "the global average pool",
            OfaLayerKind.FeatureMix => "the feature mix layer (Conv_2)",
            OfaLayerKind.Classifier => "the classifier (Logits)",
            _ => string.Create(
                CultureInfo.InvariantCulture,
                $"block slot {layer.Slot} (stage {layer.Stage}, kernel {layer.Kernel}, expand width {layer.ExpandWidth})"),
        };

        private double Lookup(OfaLayer layer) => Table.TryGetMean(layer.LutKey, out var mean) ? mean : double.NaN;
    }
}
