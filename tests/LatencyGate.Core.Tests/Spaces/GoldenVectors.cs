using System.Text.Json;
using LatencyGate.Spaces;

namespace LatencyGate.Tests.Spaces;

/// <summary>One case of ../shared/data/ofa-lut/golden_vectors.json.</summary>
internal sealed record GoldenCase(
    int Index,
    string Name,
    Arch Arch,
    int[] FeatureNonzero,
    double MacsMW12,
    double MacsMW10,
    IReadOnlyDictionary<string, double> LatencyMs)
{
    public override string ToString() => $"{Index}:{Name}@{Arch.Resolution}";
}

internal static class GoldenVectors
{
    private static readonly Lazy<IReadOnlyList<GoldenCase>> LazyCases = new(Load);

    public static IReadOnlyList<GoldenCase> Cases => LazyCases.Value;

    /// <summary>The raw JSON text of a case's arch (as in the file).</summary>
    public static string ArchJsonOf(string name)
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(ReferenceData.PathOf("ofa-lut", "golden_vectors.json")));
        foreach (var c in doc.RootElement.GetProperty("cases").EnumerateArray())
        {
            if (c.GetProperty("name").GetString() == name)
            {
                return c.GetProperty("arch").GetRawText();
            }
        }

        throw new InvalidOperationException("no golden case " + name);
    }

    private static IReadOnlyList<GoldenCase> Load()
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(ReferenceData.PathOf("ofa-lut", "golden_vectors.json")));
        var result = new List<GoldenCase>();
        var i = 0;
        foreach (var c in doc.RootElement.GetProperty("cases").EnumerateArray())
        {
            var arch = ArchJson.Parse(c.GetProperty("arch").GetRawText(), OfaSpace.W12);
            var latency = c.GetProperty("latency_ms").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetDouble());
            result.Add(new GoldenCase(
                i++,
                c.GetProperty("name").GetString()!,
                arch,
                [.. c.GetProperty("feature_nonzero_idx").EnumerateArray().Select(v => v.GetInt32())],
                c.GetProperty("macs_M_w1_2").GetDouble(),
                c.GetProperty("macs_M_w1_0").GetDouble(),
                latency));
        }

        return result;
    }
}
