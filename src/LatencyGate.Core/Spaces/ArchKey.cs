using System.Globalization;
using LatencyGate.Diagnostics;

namespace LatencyGate.Spaces;

/// <summary>
/// Reads the arch key the tool prints (<see cref="Arch.CanonicalKey"/>), e.g.
/// <c>r192-d23232-k35|553|53|553|53-e34|443|43|443|44</c>: resolution, the depth of each of the 5
/// stages, then the kernel sizes and expand ratios of the active blocks only, stage by stage
/// (<c>|</c> between stages). Inactive slots do not change the network; they are read as 3.
/// </summary>
internal static class ArchKey
{
    private const string Form = "r<resolution>-d<5 depths>-k<kernels per stage, '|' between>-e<expand ratios per stage, '|' between>, e.g. r192-d23232-k35|553|53|553|53-e34|443|43|443|44";

    /// <summary>Whether <paramref name="text"/> has the shape of a key (starts "r" and a digit, no braces), so hosts can tell it from JSON or a file name.</summary>
    public static bool LooksLike(string? text)
    {
        var t = text?.Trim();
        return t is { Length: > 2 } && t[0] == 'r' && char.IsAsciiDigit(t[1]) && t.Contains("-d", StringComparison.Ordinal) && !t.Contains('{', StringComparison.Ordinal);
    }

    public static Arch Parse(string text, OfaSpace space, SourceLocation? source = null)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(space);
        var key = text.Trim();
        var parts = key.Split('-');
        if (parts.Length != 4 || parts[0].Length < 2 || parts[0][0] != 'r' || !parts[1].StartsWith('d') || !parts[2].StartsWith('k') || !parts[3].StartsWith('e'))
        {
            throw Bad($"'{Shorten(key)}' is not an arch key; expected {Form}", source);
        }

        if (!int.TryParse(parts[0].AsSpan(1), NumberStyles.None, CultureInfo.InvariantCulture, out var resolution))
        {
            throw Bad($"arch key resolution '{parts[0]}' is not a number; expected {Form}", source);
        }

        var depthText = parts[1][1..];
        if (depthText.Length != Arch.StageCount || !depthText.All(char.IsAsciiDigit))
        {
            throw Bad($"arch key depths 'd{depthText}' must be {Arch.StageCount} digits, one per stage (each 2, 3 or 4)", source);
        }

        var depths = depthText.Select(c => c - '0').ToArray();
        if (depths.Any(d => !OfaSpace.DepthChoices.Contains(d)))
        {
            throw new LatencyGateException(ArchErrors.InvalidValue, $"arch key depths 'd{depthText}': each stage's depth must be 2, 3 or 4", source);
        }

        var ks = Slots(parts[2][1..], 'k', "kernel sizes", depths, source);
        var e = Slots(parts[3][1..], 'e', "expand ratios", depths, source);
        return Arch.Create(ks, e, depths, resolution, space, source);
    }

    private static int[] Slots(string text, char letter, string what, int[] depths, SourceLocation? source)
    {
        var stages = text.Split('|');
        if (stages.Length != Arch.StageCount)
        {
            throw Bad(string.Create(CultureInfo.InvariantCulture, $"arch key {what} '{letter}{text}' has {stages.Length} stage(s); expected {Arch.StageCount}, separated by '|'"), source);
        }

        var values = new int[Arch.SlotCount];
        Array.Fill(values, 3);
        for (var s = 0; s < Arch.StageCount; s++)
        {
            if (stages[s].Length != depths[s] || !stages[s].All(char.IsAsciiDigit))
            {
                throw Bad(string.Create(CultureInfo.InvariantCulture, $"arch key {what} of stage {s} are '{stages[s]}'; expected {depths[s]} digit(s), one per active block (the stage's depth)"), source);
            }

            for (var j = 0; j < depths[s]; j++)
            {
                values[(s * Arch.MaxDepth) + j] = stages[s][j] - '0';
            }
        }

        return values;
    }

    private static string Shorten(string text) => text.Length <= 80 ? text : text[..77] + "...";

    private static LatencyGateException Bad(string message, SourceLocation? source) =>
        new(ArchErrors.Unparseable, message, source);
}
