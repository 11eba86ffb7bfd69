using LatencyGate.Diagnostics;

namespace LatencyGate.Spaces.Encodings;

/// <summary>The encodings by name, as predictor files name them.</summary>
internal static class ArchEncodings
{
    public static IReadOnlyList<string> Names { get; } = [TutorialOneHotEncoding.EncodingName, RichEncoding.EncodingName];

    public static IArchEncoding Get(string name, OfaSpace space, SourceLocation? location = null)
    {
        ArgumentNullException.ThrowIfNull(name);
        return name switch
        {
            TutorialOneHotEncoding.EncodingName => TutorialOneHotEncoding.Instance,
            RichEncoding.EncodingName => new RichEncoding(space),
            _ => throw new LatencyGateException(
                ArchErrors.UnknownEncoding,
                $"unknown arch encoding '{name}'; expected one of {string.Join(", ", Names)}",
                location),
        };
    }

    /// <summary>Encodes many archs into a row-major matrix (archs.Length x encoding.Length).</summary>
    public static void EncodeMany(this IArchEncoding encoding, ReadOnlySpan<Arch> archs, Span<float> matrix)
    {
        ArgumentNullException.ThrowIfNull(encoding);
        var n = encoding.Length;
        for (var i = 0; i < archs.Length; i++)
        {
            encoding.Encode(archs[i], matrix.Slice(i * n, n));
        }
    }
}
