using System.Globalization;

namespace LatencyGate.Diagnostics;

/// <summary>
/// A user's input quoted back in a message is cut, so a 50 MB value cannot flood a log: the first
/// <see cref="MaxChars"/> characters, an ellipsis and the full length.
/// </summary>
internal static class EchoText
{
    public const int MaxChars = 200;

    public static string Cut(string? text) => text is null || text.Length <= MaxChars
        ? text ?? string.Empty
        : string.Create(CultureInfo.InvariantCulture, $"{text.AsSpan(0, MaxChars)}… ({text.Length:N0} chars)");

    /// <summary>
    /// The text on one line: a line break or another control character (a path or value quoted
    /// back) written as an escape (<c>\n</c>, <c>\r</c>, <c>\u0085</c>), so one diagnostic stays one
    /// line that no log reader (CI, an IDE, GitHub Actions' <c>::command::</c> lines) can take for two.
    /// </summary>
    public static string OneLine(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (!text.Any(IsBreaking))
        {
            return text;
        }

        var sb = new System.Text.StringBuilder(text.Length + 8);
        foreach (var c in text)
        {
            _ = c switch
            {
                '\n' => sb.Append("\\n"),
                '\r' => sb.Append("\\r"),
                _ when IsBreaking(c) => sb.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:x4}"),
                _ => sb.Append(c),
            };
        }

        return sb.ToString();
    }

    // Tabs keep a line whole; every other control character, and the Unicode line and paragraph separators, may not.
    private static bool IsBreaking(char c) => (char.IsControl(c) && c != '\t') || c is '\u2028' or '\u2029';
}
