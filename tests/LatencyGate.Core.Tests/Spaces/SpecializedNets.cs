using System.Text.Json;
using LatencyGate.Spaces;

namespace LatencyGate.Tests.Spaces;

/// <summary>OFA's published specialized nets (net.config + run.config) turned back into archs.</summary>
internal static class SpecializedNets
{
    public static string Folder(string id) => ReferenceData.PathOf("ofa-specialized", id);

    public static JsonDocument NetConfig(string id) => JsonDocument.Parse(File.ReadAllText(Path.Combine(Folder(id), "net.config")));

    /// <summary>Reads ks/e per block and the depth of each stage (a stage starts at each width change).</summary>
    public static Arch ToArch(string id, OfaSpace space)
    {
        using var doc = NetConfig(id);
        using var run = JsonDocument.Parse(File.ReadAllText(Path.Combine(Folder(id), "run.config")));
        var blocks = doc.RootElement.GetProperty("blocks").EnumerateArray().Skip(1).Select(b => b.GetProperty("mobile_inverted_conv")).ToArray();
        var ks = Enumerable.Repeat(3, 20).ToArray();
        var e = Enumerable.Repeat(3, 20).ToArray();
        var d = new int[5];
        var stage = -1;
        var j = 0;
        foreach (var b in blocks)
        {
            if (b.GetProperty("in_channels").GetInt32() != b.GetProperty("out_channels").GetInt32())
            {
                stage++;
                j = 0;
            }

            ks[(stage * 4) + j] = b.GetProperty("kernel_size").GetInt32();
            e[(stage * 4) + j] = b.GetProperty("expand_ratio").GetInt32();
            j++;
            d[stage] = j;
        }

        return Arch.Create(ks, e, d, run.RootElement.GetProperty("image_size").GetInt32(), space);
    }
}
