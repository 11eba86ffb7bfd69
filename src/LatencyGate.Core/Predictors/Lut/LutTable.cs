using System.Globalization;
using LatencyGate.Diagnostics;
using LatencyGate.Files;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace LatencyGate.Predictors.Lut;

/// <summary>
/// One OFA latency table (<c>{r}_lookup_table.yaml</c> or <c>.json</c>): layer key → mean latency
/// in ms. Only <c>mean</c> is used, as in OFA; <c>count</c> and <c>std</c> are ignored.
/// </summary>
internal sealed class LutTable
{
    private readonly Dictionary<string, double> _means;

    private LutTable(string path, int resolution, Dictionary<string, double> means)
    {
        Path = path;
        Resolution = resolution;
        _means = means;
    }

    public string Path { get; }

    public int Resolution { get; }

    public int Count => _means.Count;

    public bool TryGetMean(string key, out double mean) => _means.TryGetValue(key, out mean);

    /// <summary>Every entry (key, mean), in ordinal key order: the canonical order of <see cref="LutContent"/>.</summary>
    public IEnumerable<KeyValuePair<string, double>> Entries => _means.OrderBy(p => p.Key, StringComparer.Ordinal);

    /// <summary>
    /// A table from entries already read (an adapted predictor file's embedded copy); every mean must be
    /// finite and non-negative, as <see cref="Parse"/> requires, else null.
    /// </summary>
    public static LutTable? FromMeans(string path, int resolution, IReadOnlyDictionary<string, double> means)
    {
        ArgumentNullException.ThrowIfNull(means);
        return means.Values.All(m => double.IsFinite(m) && m >= 0)
            ? new LutTable(path, resolution, new Dictionary<string, double>(means, StringComparer.Ordinal))
            : null;
    }

    public static LutTable Load(string path, int resolution)
    {
        // OFA's tables are about 15 kB each; 64 MB is generous for any table of this space.
        var text = BoundedFile.ReadAllText(path, 64L << 20, LutErrors.Unreadable, "the lookup table");

        return Parse(text, path, resolution);
    }

    /// <summary>Parses YAML or JSON (JSON is read as YAML flow style, so both report line and column).</summary>
    public static LutTable Parse(string text, string path, int resolution)
    {
        var means = new Dictionary<string, double>(128, StringComparer.Ordinal);
        try
        {
            var parser = new Parser(new StringReader(text));
            parser.Consume<StreamStart>();
            if (parser.Accept<StreamEnd>(out _))
            {
                throw new LatencyGateException(LutErrors.InvalidTable, "lookup table is empty", new SourceLocation(path, 1, 1));
            }

            parser.Consume<DocumentStart>();
            if (!parser.TryConsume<MappingStart>(out _))
            {
                throw Invalid(path, parser.Current, "lookup table must be a mapping of layer keys to {count, mean, std}");
            }

            while (!parser.TryConsume<MappingEnd>(out _))
            {
                var key = parser.Consume<Scalar>();
                if (!parser.TryConsume<MappingStart>(out _))
                {
                    throw Invalid(path, parser.Current, $"entry '{EchoText.Cut(key.Value)}' must be a mapping with a 'mean'");
                }

                double? mean = null;
                var fields = new HashSet<string>(StringComparer.Ordinal);
                while (!parser.TryConsume<MappingEnd>(out _))
                {
                    var field = parser.Consume<Scalar>();
                    // 'mean: 999' then 'mean: 0.5' took the last: which one the table meant is a guess.
                    if (!fields.Add(field.Value))
                    {
                        throw Invalid(path, field, $"field '{EchoText.Cut(field.Value)}' of entry '{EchoText.Cut(key.Value)}' appears twice");
                    }

                    if (!parser.Accept<Scalar>(out var value))
                    {
                        throw Invalid(path, parser.Current, $"field '{EchoText.Cut(field.Value)}' of entry '{EchoText.Cut(key.Value)}' must be a number");
                    }

                    parser.MoveNext();
                    if (field.Value == "mean")
                    {
                        if (!double.TryParse(value.Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var m) || !double.IsFinite(m))
                        {
                            throw new LatencyGateException(
                                LutErrors.InvalidEntry,
                                $"entry '{EchoText.Cut(key.Value)}' has mean '{EchoText.Cut(value.Value)}'; expected a number",
                                Location(path, value.Start));
                        }

                        if (m < 0)
                        {
                            // A negative mean would lower every latency summed over it.
                            throw new LatencyGateException(
                                InputErrors.LutMeanOutOfRange,
                                $"entry '{EchoText.Cut(key.Value)}' has mean {EchoText.Cut(value.Value)}; a layer's latency cannot be negative",
                                Location(path, value.Start));
                        }

                        mean = m;
                    }
                }

                if (mean is null)
                {
                    throw new LatencyGateException(LutErrors.InvalidEntry, $"entry '{EchoText.Cut(key.Value)}' has no 'mean'", Location(path, key.Start));
                }

                if (!means.TryAdd(key.Value, mean.Value))
                {
                    throw new LatencyGateException(LutErrors.InvalidTable, $"entry '{EchoText.Cut(key.Value)}' appears twice", Location(path, key.Start));
                }
            }

            // The table ends the file: two tables pasted into one ('---') used to be read as the first alone.
            parser.Consume<DocumentEnd>();
            if (!parser.Accept<StreamEnd>(out _))
            {
                throw Invalid(path, parser.Current, "a lookup table file holds one YAML document; found a second one ('---')");
            }
        }
        catch (YamlException ex)
        {
            throw new LatencyGateException(
                LutErrors.InvalidTable,
                $"lookup table is not valid YAML/JSON (truncated?): {FirstLine(ex.Message)}",
                Location(path, ex.Start));
        }

        return new LutTable(path, resolution, means);
    }

    private static LatencyGateException Invalid(string path, ParsingEvent? at, string message) =>
        new(LutErrors.InvalidTable, message, at is null ? new SourceLocation(path) : Location(path, at.Start));

    private static SourceLocation Location(string path, Mark mark) => new(path, (int)Math.Max(1, mark.Line), (int)Math.Max(1, mark.Column));

    private static string FirstLine(string message)
    {
        // YamlDotNet prefixes "(Line: a, Col: b, Idx: c) - (…): "; the location is reported separately.
        var text = message.ReplaceLineEndings(" ");
        var cut = text.LastIndexOf("): ", StringComparison.Ordinal);
        return cut >= 0 ? text[(cut + 3)..] : text;
    }
}
