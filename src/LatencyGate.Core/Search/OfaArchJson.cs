using System.Text.Json;
using LatencyGate.Spaces;

namespace LatencyGate.Search;

/// <summary>
/// OFA's arch form, <c>{"ks": [20], "e": [20], "d": [5], "r": [224]}</c> (<see cref="ArchJson.Write"/>),
/// written from the normalized arch (inactive slots as kernel 3, expand 3) so equal archs give equal bytes.
/// </summary>
internal static class OfaArchJson
{
    /// <summary>The arch as one JSON value inside a larger document (one line, as <see cref="ToJson"/>).</summary>
    public static void Write(Utf8JsonWriter writer, Arch arch)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteRawValue(ToJson(arch));
    }

    /// <summary>The single-line text form (<see cref="ArchJson.Write"/>) of the normalized arch.</summary>
    public static string ToJson(Arch arch) => ArchJson.Write(arch.Normalized());
}
