using System.Text;

namespace LatencyGate.Manifest;

/// <summary>
/// What a device name may be wherever one is given (a manifest device, <c>fit --device</c>): 1–64
/// ASCII letters, digits, <c>-</c>, <c>_</c>, <c>.</c>, so that it is one token in reports, file
/// names and console lines.
/// </summary>
internal static class DeviceNames
{
    public const int MaxLength = 64;

    public static bool IsValid(string name) =>
        name.Length is > 0 and <= MaxLength && name.All(IsAllowed);

    /// <summary>The name with each run of other characters made one <c>-</c> (cut to 64), or null when nothing is left.</summary>
    public static string? Suggest(string name)
    {
        var sb = new StringBuilder();
        foreach (var c in name)
        {
            if (IsAllowed(c))
            {
                sb.Append(c);
            }
            else if (sb.Length > 0 && sb[^1] != '-')
            {
                sb.Append('-');
            }
        }

        var suggestion = sb.ToString().Trim('-');
        suggestion = suggestion.Length > MaxLength ? suggestion[..MaxLength].TrimEnd('-') : suggestion;
        return suggestion.Length == 0 || suggestion == name ? null : suggestion;
    }

    private static bool IsAllowed(char c) => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.';
}
