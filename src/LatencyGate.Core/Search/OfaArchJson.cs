using System.Text.Json;
using LatencyGate.Spaces;

namespace LatencyGate.Search;

/// <summary>
/// OFA's arch form, <c>{"ks": [20], "e": [20], "d": [5], "r": [224]}</c>, written from the
/// normalized arch (inactive slots as kernel 3, expand 3) so equal archs give equal bytes.
/// </summary>
public static class OfaArchJson
{
    public static void Write(Utf8JsonWriter writer, Arch arch)
    {
        var a = arch.Normalized();
        writer.WriteStartObject();
        WriteList(writer, "ks", a.KernelSizes);
        WriteList(writer, "e", a.ExpandRatios);
        WriteList(writer, "d", a.Depths);
        writer.WriteStartArray("r");
        writer.WriteNumberValue(a.Resolution);
        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    /// <summary>The single-line text form (<see cref="ArchJson.Write"/>) of the normalized arch.</summary>
    public static string ToJson(Arch arch) => ArchJson.Write(arch.Normalized());

    private static void WriteList(Utf8JsonWriter writer, string name, ReadOnlySpan<byte> values)
    {
        writer.WriteStartArray(name);
        foreach (var v in values)
        {
            writer.WriteNumberValue(v);
        }

        writer.WriteEndArray();
    }
}
