using System.Text.Json;
using System.Text.Json.Serialization;

namespace LatencyGate.Reporting;

/// <summary>
/// JSON has no NaN or infinity. Every writer of LatencyGate writes a number that could not be
/// computed (a rank correlation of one row, an overflow) as <c>null</c>; the text output prints
/// "n/a" for it. Commands that report metrics add an <c>undefined</c> object saying why.
/// </summary>
internal static class JsonNumbers
{
    /// <summary>Serializer options that write non-finite doubles as null instead of throwing.</summary>
    public static JsonSerializerOptions Options { get; } = new() { Converters = { new NonFiniteAsNull() } };

    public static void WriteNumberOrNull(this Utf8JsonWriter writer, string name, double value)
    {
        ArgumentNullException.ThrowIfNull(writer);
        if (double.IsFinite(value))
        {
            writer.WriteNumber(name, value);
        }
        else
        {
            writer.WriteNull(name);
        }
    }

    public static object? OrNull(double value) => double.IsFinite(value) ? value : null;

    private sealed class NonFiniteAsNull : JsonConverter<double>
    {
        public override bool HandleNull => false;

        public override double Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            reader.TokenType == JsonTokenType.Null ? double.NaN : reader.GetDouble();

        public override void Write(Utf8JsonWriter writer, double value, JsonSerializerOptions options)
        {
            if (double.IsFinite(value))
            {
                writer.WriteNumberValue(value);
            }
            else
            {
                writer.WriteNullValue();
            }
        }
    }
}
