using System.CommandLine;
using System.Globalization;
using LatencyGate.Diagnostics;
using LatencyGate.Spaces;

namespace LatencyGate.Cli.Commands;

/// <summary>Option values shared by several commands.</summary>
internal static class CommandParsing
{
    /// <summary>
    /// <c>--threads</c>: 0 means every core, N at most N threads. A negative count is refused
    /// (LG0902) rather than read as "all cores", so a typo cannot pass unnoticed.
    /// </summary>
    public static int Threads(int value) => value >= 0
        ? value
        : throw new LatencyGateException(CliCodes.OutOfRange, string.Create(CultureInfo.InvariantCulture, $"--threads is {value}; expected 0 (all cores) or a positive number of threads"));

    /// <summary>
    /// An option whose value is one of <paramref name="names"/> (a space, a model, a strategy, a runtime…),
    /// read without regard to case, the one rule docs/cli.md states for every command: option names are
    /// exact, enumerated values are not, so <c>--runtime OnnxRuntime</c> is handed on as <c>onnxruntime</c>.
    /// A value that names none of them is handed on as typed, for the command's own error and did-you-mean.
    /// </summary>
    public static Option<T> OneOf<T>(this Option<T> option, IEnumerable<string> names)
        where T : class?
    {
        var known = names.ToArray();
        option.CustomParser = result =>
        {
            if (result.Tokens.Count == 0)
            {
                return option.DefaultValueFactory is { } factory ? factory(result) : null;
            }

            var typed = result.Tokens[^1].Value;
            return (T)(object)(known.FirstOrDefault(n => string.Equals(n, typed, StringComparison.OrdinalIgnoreCase)) ?? typed);
        };
        return option;
    }

    /// <summary>The names <c>--space</c> takes: the OFA spaces, and the spaces <c>fit</c> adapts CSVs in.</summary>
    public static IEnumerable<string> SpaceNames => OfaSpace.All.Select(s => s.Name).Concat(Monotonicity.SourceTransferFit.Spaces);

    /// <summary>"160,176,192" → validated resolutions; null or empty → every resolution of the space.</summary>
    public static IReadOnlyList<int> ParseResolutions(string? text, OfaSpace space, string option = "--resolutions")
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return space.Resolutions;
        }

        var result = new List<int>();
        foreach (var part in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!int.TryParse(part, NumberStyles.Integer, CultureInfo.InvariantCulture, out var r) || !space.SupportsResolution(r))
            {
                throw new LatencyGateException(CliCodes.UnknownResolution, $"{option}: '{part}' is not a resolution of {space.Name}; expected {space.DescribeResolutions()}");
            }

            // "192,192" asks for one resolution: searched, sampled or tabled once.
            if (!result.Contains(r))
            {
                result.Add(r);
            }
        }

        if (result.Count == 0)
        {
            // "," or " , " names no resolution; every resolution would be a guess at what was meant.
            throw new LatencyGateException(CliCodes.UnknownResolution, $"{option}: '{text}' names no resolution; expected a comma-separated list of {space.DescribeResolutions()}, or leave the option out for all of them");
        }

        return result;
    }

    /// <summary>
    /// "a,b,c" → the device columns of <c>--columns</c>. A column named twice is LG0728: it compared a
    /// device with itself (Spearman 1, "covers") or counted one device as two sources.
    /// </summary>
    public static string[] ParseColumns(string? text)
    {
        var parts = (text ?? string.Empty).Split(',', StringSplitOptions.TrimEntries);
        // A trailing comma is a habit; an empty name between two ("a,,c") is a column left out by mistake.
        if (Array.FindIndex(parts, p => p.Length == 0) is var empty and >= 0 && parts.Skip(empty).Any(p => p.Length > 0))
        {
            throw new LatencyGateException(CliCodes.Usage, $"--columns '{EchoText.Cut(text!)}' has an empty column name at position {empty + 1}; name each device's column, separated by single commas");
        }

        var names = parts.Where(p => p.Length > 0).ToArray();
        if (names.GroupBy(n => n, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1) is { } twice)
        {
            throw new LatencyGateException(MonotonicityErrors.RepeatedColumn, $"--columns names '{EchoText.Cut(twice.Key)}' {twice.Count()} times; name each device's column once");
        }

        return names;
    }
}
