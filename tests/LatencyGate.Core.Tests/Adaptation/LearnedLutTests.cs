using LatencyGate.Adaptation;
using LatencyGate.Adaptation.Features;
using LatencyGate.Diagnostics;
using LatencyGate.Spaces;
using Shouldly;
using Xunit;

namespace LatencyGate.Tests.Adaptation;

public sealed class LearnedLutTests
{
    [ReferenceDataFact]
    public void Learns_the_note10_table_back_from_whole_network_sums_and_exports_it_in_ofa_format()
    {
        // Whole-network latencies are sums over OFA's Note10 LUT (224 px): can the per-layer costs be recovered?
        var table = AdaptationTestData.ReadLutMeans(ReferenceData.PathOf("ofa-lut", "note10", "224_lookup_table.yaml"));
        var archs = AdaptationTestData.RandomArchs(1500, 99).Select(a => Arch.Create(a.KernelSizes.ToArray().Select(v => (int)v).ToArray(), a.ExpandRatios.ToArray().Select(v => (int)v).ToArray(), a.Depths.ToArray().Select(v => (int)v).ToArray(), 224)).ToArray();
        double Truth(Arch a) => OfaBlockShapes.Layers(a, OfaSpace.W12).Sum(l => table[l.LutKey]);
        var shots = archs.Take(1000).Select(a => new LatencyShot(a, Truth(a))).ToArray();
        var lut = LearnedLut.Fit(OfaSpace.W12, shots, "note10-relearned", relativePenalty: 1e-4);
        var test = archs.Skip(1000).ToArray();
        var mae = test.Average(a => Math.Abs(lut.PredictOne(a) - Truth(a)));
        var mean = test.Average(Truth);
        (mae / mean).ShouldBeLessThan(0.005);

        var folder = Path.Combine(Path.GetTempPath(), "lg-learned-lut-" + Environment.ProcessId);
        try
        {
            var files = lut.Export(folder);
            files.Count.ShouldBe(25);
            var exported = AdaptationTestData.ReadLutMeans(Path.Combine(folder, "224_lookup_table.yaml"));
            exported.Keys.Order(StringComparer.Ordinal).ShouldBe(table.Keys.Order(StringComparer.Ordinal));
            foreach (var a in test.Take(50))
            {
                OfaBlockShapes.Layers(a, OfaSpace.W12).Sum(l => exported[l.LutKey]).ShouldBe(lut.PredictOne(a), 1e-9);
            }

            File.ReadAllText(Path.Combine(folder, "160_lookup_table.yaml")).ShouldContain("count: 0");

            // OFA's own reader (Predictors/Lut) loads the folder back and sums to the same latencies.
            var reloaded = LatencyGate.Predictors.Lut.LookupTablePredictor.Load(folder, OfaSpace.W12);
            var predicted = new double[50];
            reloaded.Predict(test.Take(50).ToArray(), predicted);
            for (var i = 0; i < 50; i++)
            {
                predicted[i].ShouldBe(lut.PredictOne(test[i]), 1e-6);
            }
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void Costs_are_never_negative_and_unseen_resolutions_use_the_prior()
    {
        var archs = AdaptationTestData.RandomArchs(300, 4);
        var features = new StructuredFeatures(OfaSpace.W12);
        double Truth(Arch a)
        {
            var f = new double[StructuredFeatures.Count];
            features.Compute(a, f);
            return f.Sum() + 1.0;
        }

        var seen = archs.Where(a => a.Resolution != 200).ToArray();
        var lut = LearnedLut.Fit(OfaSpace.W12, seen.Select(a => new LatencyShot(a, Truth(a))).ToArray(), "synthetic");
        lut.Entries.Values.ShouldAllBe(e => e.Mean >= 0 && e.Count > 0);
        var unseen = archs.First(a => a.Resolution == 200);
        lut.PredictOne(unseen).ShouldBe(Truth(unseen), 0.05 * Truth(unseen));
        Should.Throw<LatencyGateException>(() => LearnedLut.Fit(OfaSpace.W12, [], "none")).Diagnostics[0].Code.ShouldBe("LG0202");
    }
}
