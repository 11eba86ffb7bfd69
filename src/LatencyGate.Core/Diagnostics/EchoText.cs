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
}
