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

    /// <summary>"160,176,192" → validated resolutions; null or empty → every resolution of the space.</summary>
    public static IReadOnlyList<int> ParseResolutions(string? text, OfaSpace space)
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
                throw new LatencyGateException(CliCodes.UnknownResolution, $"--resolutions: '{part}' is not a resolution of {space.Name}; expected {space.DescribeResolutions()}");
            }

            result.Add(r);
        }

        return result;
    }
}
