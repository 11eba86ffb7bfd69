using System.Text;

namespace LatencyGate.Manifest;

/// <summary>
/// What a device name may be. A manifest device's name is an identifier (reports, file names,
/// <c>--device</c>): 1–64 ASCII letters, digits, <c>-</c>, <c>_</c>, <c>.</c>. A name recorded in a
/// predictor file (<c>fit --device</c>) is only printed, so it may read naturally ("Tesla P40"), but
/// it is one line of 1–64 characters: no line break or other control character, not blank or padded.
/// </summary>
internal static class DeviceNames
{
    public const int MaxLength = 64;

    public static bool IsValid(string name) =>
        name.Length is > 0 and <= MaxLength && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.');

    public static bool IsValidRecorded(string name) =>
        name.Length is > 0 and <= MaxLength && name.Trim() == name && !name.Any(IsBreak);

    /// <summary>A recorded name close to <paramref name="name"/>: each run of spaces and control characters one space, trimmed, cut to 64; null when nothing is left.</summary>
    public static string? SuggestRecorded(string name)
    {
        var sb = new StringBuilder();
        foreach (var c in name)
        {
            if (!IsBreak(c) && !char.IsWhiteSpace(c))
            {
                sb.Append(c);
            }
            else if (sb.Length > 0 && sb[^1] != ' ')
            {
                sb.Append(' ');
            }
        }

        var suggestion = sb.ToString().Trim();
        suggestion = suggestion.Length > MaxLength ? suggestion[..MaxLength].TrimEnd() : suggestion;
        return suggestion.Length == 0 || suggestion == name ? null : suggestion;
    }

    private static bool IsBreak(char c) => char.IsControl(c) || c is '\u2028' or '\u2029';
}
