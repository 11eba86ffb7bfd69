using System.Text.Json;
using LatencyGate.Adaptation.Features;
using LatencyGate.Spaces;
using Shouldly;
using Xunit;

namespace LatencyGate.Tests.Adaptation;

public sealed class OfaBlockShapesTests
{
    [ReferenceDataFact]
    public void Layer_keys_sum_to_the_golden_Note10_lut_latency()
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(ReferenceData.PathOf("ofa-lut", "golden_vectors.json")));
        var tables = new Dictionary<int, Dictionary<string, double>>();
        var checkedCases = 0;
        foreach (var c in doc.RootElement.GetProperty("cases").EnumerateArray())
        {
            var a = c.GetProperty("arch");
            int[] Ints(string name) => a.GetProperty(name).EnumerateArray().Select(v => v.GetInt32()).ToArray();
            var r = a.GetProperty("image_size").GetInt32();
            var path = ReferenceData.PathOf("ofa-lut", "note10", $"{r}_lookup_table.yaml");
            if (!File.Exists(path))
            {
                continue;
            }

            if (!tables.TryGetValue(r, out var table))
            {
                table = AdaptationTestData.ReadLutMeans(path);
                tables[r] = table;
            }

            var arch = Arch.Create(Ints("ks"), Ints("e"), Ints("d"), r, OfaSpace.W12);
            var layers = OfaBlockShapes.Layers(arch, OfaSpace.W12);
            foreach (var layer in layers)
            {
                table.ShouldContainKey(layer.LutKey);
            }

            layers.Sum(l => table[l.LutKey]).ShouldBe(c.GetProperty("latency_ms").GetProperty("note10").GetDouble(), 1e-6);
            checkedCases++;
        }

        checkedCases.ShouldBeGreaterThan(10);
    }

    [Fact]
    public void Operator_groups_are_distinct_and_named()
    {
        var names = Enumerable.Range(0, OfaBlockShapes.BlockGroupCount).Select(OfaBlockShapes.DescribeGroup).ToArray();
        names.Distinct().Count().ShouldBe(OfaBlockShapes.BlockGroupCount);
        OfaBlockShapes.GroupOf(4, false, 7, 6).ShouldBe(OfaBlockShapes.BlockGroupCount - 1);
        OfaBlockShapes.MakeDivisible(19.2).ShouldBe(24);
        OfaBlockShapes.MakeDivisible(1152).ShouldBe(1152);
    }

    [Fact]
    public void Structured_features_are_additive_in_blocks_and_scale_with_area()
    {
        var features = new StructuredFeatures(OfaSpace.W12);
        var arch = AdaptationTestData.RandomArchs(1, 5)[0];
        var f = new double[StructuredFeatures.Count];
        features.Compute(arch, f);
        f.Skip(StructuredFeatures.CountIndex).Sum().ShouldBe(arch.ActiveBlockCount);
        var big = Arch.Create(Enumerable.Repeat(3, 20).ToArray(), Enumerable.Repeat(3, 20).ToArray(), [2, 2, 2, 2, 2], 224);
        var small = Arch.Create(Enumerable.Repeat(3, 20).ToArray(), Enumerable.Repeat(3, 20).ToArray(), [2, 2, 2, 2, 2], 128);
        var fb = new double[StructuredFeatures.Count];
        var fs = new double[StructuredFeatures.Count];
        features.Compute(big, fb);
        features.Compute(small, fs);
        fb[OfaBlockShapes.GroupOf(0, true, 3, 3)].ShouldBe(1.0, 1e-12);
        fs[OfaBlockShapes.GroupOf(0, true, 3, 3)].ShouldBe(32.0 * 32 / (56 * 56), 1e-12);
    }
}
