using System.Text.Json;

namespace LatencyGate.Benchmarks;

internal static class Json
{
    public static readonly JsonSerializerOptions Options = new() { WriteIndented = true, NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals };
}
