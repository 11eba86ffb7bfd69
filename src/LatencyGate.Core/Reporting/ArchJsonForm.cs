using System.Text.Json;
using LatencyGate.Spaces;

namespace LatencyGate.Reporting;

/// <summary>Writes an arch in OFA's own JSON form, <c>{"ks": [20], "e": [20], "d": [5], "r": [224]}</c>.</summary>
internal static class ArchJsonForm
{
    public static void Write(Utf8JsonWriter writer, Arch arch)
    {
        writer.WriteStartObject();
        WriteArray(writer, "ks", arch.KernelSizes);
        WriteArray(writer, "e", arch.ExpandRatios);
        WriteArray(writer, "d", arch.Depths);
        writer.WriteStartArray("r");
        writer.WriteNumberValue(arch.Resolution);
        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    /// <summary>The same form on one line, for Markdown and messages.</summary>
    public static string ToCompactString(Arch arch)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream))
        {
            Write(writer, arch);
        }

        return System.Text.Encoding.UTF8.GetString(stream.ToArray());
    }

    private static void WriteArray(Utf8JsonWriter writer, string name, ReadOnlySpan<byte> values)
    {
        writer.WriteStartArray(name);
        foreach (var v in values)
        {
            writer.WriteNumberValue(v);
        }

        writer.WriteEndArray();
    }
}
