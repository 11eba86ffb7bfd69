using System.Globalization;
using System.Text;
using System.Text.Json;
using LatencyGate.Measurements;

namespace LatencyGate.Predictors;

/// <summary>
/// The machines a predictor's training measurements were taken on (from <c>measure</c>'s machine
/// columns), stored in a predictor file's metadata under <see cref="Key"/> as a JSON array of objects
/// (cpu_model, logical_cores, os, runtime, runtime_version, threads, batch_size), and read back for
/// <c>predict</c> to show.
/// </summary>
internal static class MeasuredOnMetadata
{
    public const string Key = "measured_on";

    private static readonly HashSet<string> Integers = new(StringComparer.Ordinal) { "logical_cores", "threads", "batch_size" };

    /// <summary>The metadata value, or null when nothing is known about the machines.</summary>
    public static string? Encode(IReadOnlyList<IReadOnlyList<string>> machines)
    {
        if (machines.Count == 0)
        {
            return null;
        }

        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream))
        {
            w.WriteStartArray();
            foreach (var machine in machines)
            {
                w.WriteStartObject();
                for (var i = 0; i < MachineColumns.Names.Count && i < machine.Count; i++)
                {
                    var name = MachineColumns.Names[i];
                    if (Integers.Contains(name) && long.TryParse(machine[i], NumberStyles.None, CultureInfo.InvariantCulture, out var n))
                    {
                        w.WriteNumber(name, n);
                    }
                    else
                    {
                        w.WriteString(name, machine[i]);
                    }
                }

                w.WriteEndObject();
            }

            w.WriteEndArray();
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }

    /// <summary>
    /// The machines recorded in <paramref name="metadata"/>; empty when none are (a file fitted from
    /// a CSV without machine columns) or the value is not what <see cref="Encode"/> writes.
    /// </summary>
    public static IReadOnlyList<IReadOnlyList<KeyValuePair<string, string>>> Decode(IReadOnlyDictionary<string, string> metadata)
    {
        if (!metadata.TryGetValue(Key, out var json))
        {
            return [];
        }

        try
        {
            using var document = JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = 4 });
            if (document.RootElement.ValueKind != JsonValueKind.Array)
            {
                return [];
            }

            var machines = new List<IReadOnlyList<KeyValuePair<string, string>>>();
            foreach (var machine in document.RootElement.EnumerateArray().Take(MachineColumns.MaxRecorded))
            {
                if (machine.ValueKind != JsonValueKind.Object)
                {
                    return [];
                }

                machines.Add(machine.EnumerateObject()
                    .Where(p => p.Value.ValueKind is JsonValueKind.String or JsonValueKind.Number)
                    .Select(p => new KeyValuePair<string, string>(p.Name, p.Value.ValueKind == JsonValueKind.String ? p.Value.GetString()! : p.Value.GetRawText()))
                    .ToArray());
            }

            return machines;
        }
        catch (JsonException)
        {
            // Metadata for people, not for the model: a damaged value is ignored, not fatal.
            return [];
        }
    }

    /// <summary>One line per machine: "cpu, N logical cores, os; runtime version, T thread(s), batch B".</summary>
    public static string Describe(IReadOnlyList<KeyValuePair<string, string>> machine)
    {
        string Get(string name) => machine.FirstOrDefault(p => p.Key == name).Value ?? "?";
        return $"{Get("cpu_model")}, {Get("logical_cores")} logical cores, {Get("os")}; {Get("runtime")} {Get("runtime_version")}, {Get("threads")} thread(s), batch {Get("batch_size")}";
    }
}
