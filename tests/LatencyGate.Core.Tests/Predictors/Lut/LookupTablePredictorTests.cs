using System.Globalization;
using LatencyGate.Diagnostics;
using LatencyGate.Predictors;
using LatencyGate.Predictors.Lut;
using LatencyGate.Spaces;
using LatencyGate.Tests.Spaces;
using Shouldly;
using Xunit;

namespace LatencyGate.Tests.Predictors.Lut;

public sealed class LookupTablePredictorTests : IDisposable
{
    private static readonly Lazy<Dictionary<string, LookupTablePredictor>> Predictors = new(() =>
        new[] { "note10", "dynamicofa-jetson", "dynamicofa-jetson_GPU" }
            .ToDictionary(n => n, n => LookupTablePredictor.Load(ReferenceData.PathOf("ofa-lut", n), OfaSpace.W12)));

    private readonly string _temp = Path.Combine(Path.GetTempPath(), "lg-lut-" + Guid.NewGuid().ToString("N"));

    public static TheoryData<int> GoldenIndices() => [.. Enumerable.Range(0, 40)];

    public void Dispose()
    {
        if (Directory.Exists(_temp))
        {
            Directory.Delete(_temp, recursive: true);
        }
    }

    [ReferenceDataTheory]
    [MemberData(nameof(GoldenIndices))]
    public void Latency_matches_the_golden_vectors_on_three_devices(int index)
    {
        var c = GoldenVectors.Cases[index];
        foreach (var (device, expected) in c.LatencyMs)
        {
            var predictor = Predictors.Value[device];
            var actual = predictor.Predict(c.Arch);
            Math.Abs(actual - expected).ShouldBeLessThanOrEqualTo(1e-6 * expected, $"{device} {c}");
            predictor.Explain(c.Arch).TotalMs.ShouldBe(actual, 1e-9 * expected);
        }
    }

    [ReferenceDataTheory]
    [InlineData("note10_lat-30ms_top1-78.4_finetune-75", 29.97)]
    [InlineData("note10_lat-41ms_top1-79.3_finetune-75", 39.91)]
    [InlineData("note10_lat-50ms_top1-79.7_finetune-75", 49.78)]
    public void Published_note10_nets_give_their_lut_latency(string id, double expectedMs)
    {
        var arch = SpecializedNets.ToArch(id, OfaSpace.W12);
        Math.Round(Predictors.Value["note10"].Predict(arch), 2).ShouldBe(expectedMs);
    }

    [ReferenceDataFact]
    public void Matches_the_note10_lut_column_of_a_published_data_set()
    {
        var predictor = Predictors.Value["note10"];
        var rows = File.ReadLines(ReferenceData.PathOf("ofanas-perfest", "datasets", "Note10_LookupTable", "note10_lookuptable_ofa.csv")).Skip(1).Take(500);
        var n = 0;
        foreach (var row in rows)
        {
            var split = row.LastIndexOf(',');
            var arch = ArchJson.Parse(row[1..(split - 1)], OfaSpace.W12);
            var expected = double.Parse(row[(split + 1)..], CultureInfo.InvariantCulture);
            predictor.Predict(arch).ShouldBe(expected, 1e-6 * expected);
            n++;
        }

        n.ShouldBe(500);
    }

    [ReferenceDataFact]
    public void Batch_and_interval_calls_agree_with_single_predictions()
    {
        var predictor = Predictors.Value["note10"];
        var archs = GoldenVectors.Cases.Select(c => c.Arch).ToArray();
        var values = new double[archs.Length];
        var estimates = new LatencyEstimate[archs.Length];
        predictor.Predict(archs, values);
        predictor.PredictWithInterval(archs, 0.95, estimates);
        predictor.IntervalMethod.ShouldBe(IntervalMethod.None);
        for (var i = 0; i < archs.Length; i++)
        {
            values[i].ShouldBe(predictor.Predict(archs[i]));
            estimates[i].ShouldBe(LatencyEstimate.Exact(values[i]));
        }
    }

    [ReferenceDataFact]
    public void Resolution_without_a_table_is_LG0024_unless_interpolating()
    {
        var arch = GoldenVectors.Cases[0].Arch;
        var at = Arch.Create(arch.KernelSizes.ToArray().Select(v => (int)v).ToArray(), arch.ExpandRatios.ToArray().Select(v => (int)v).ToArray(), arch.Depths.ToArray().Select(v => (int)v).ToArray(), 194 - 2, OfaSpace.W12);
        var folder = CopyTables("note10", "*_lookup_table.yaml", except: "192_lookup_table.yaml");
        var strict = LookupTablePredictor.Load(folder, OfaSpace.W12);
        var ex = Should.Throw<LatencyGateException>(() => strict.Predict(at));
        ex.Diagnostics.ShouldHaveSingleItem().Code.ShouldBe("LG0024");

        var lenient = LookupTablePredictor.Load(folder, OfaSpace.W12, interpolate: true);
        var full = Predictors.Value["note10"];
        var expected = (full.Predict(Reres(at, 188)) + full.Predict(Reres(at, 196))) / 2;
        lenient.Predict(at).ShouldBe(expected, 1e-9);
        var breakdown = lenient.Explain(at);
        breakdown.InterpolatedFrom.ShouldBe((188, 196));
        var below = Reres(at, 132);
        Should.Throw<LatencyGateException>(() => lenient.Predict(below)).Diagnostics[0].Message.ShouldContain("outside");
        breakdown.TotalMs.ShouldBe(expected, 1e-9);
    }

    [Fact]
    public void Missing_folder_is_LG0020()
    {
        var ex = Should.Throw<LatencyGateException>(() => LookupTablePredictor.Load(Path.Combine(_temp, "nope"), OfaSpace.W12));
        ex.Diagnostics.ShouldHaveSingleItem().Code.ShouldBe("LG0020");
    }

    [Fact]
    public void Empty_folder_is_LG0021()
    {
        Directory.CreateDirectory(_temp);
        var ex = Should.Throw<LatencyGateException>(() => LookupTablePredictor.Load(_temp, OfaSpace.W12));
        ex.Diagnostics.ShouldHaveSingleItem().Code.ShouldBe("LG0021");
    }

    [ReferenceDataFact]
    public void Truncated_yaml_table_is_LG0022_with_line_and_column()
    {
        var folder = CopyTables("note10", "16*_lookup_table.yaml");
        var file = Path.Combine(folder, "164_lookup_table.yaml");
        var text = File.ReadAllText(file);
        var cut = text.IndexOf("\nexpanded_conv-input:", text.Length / 2, StringComparison.Ordinal) + 30;
        File.WriteAllText(file, text[..cut]);
        var ex = Should.Throw<LatencyGateException>(() => LookupTablePredictor.Load(folder, OfaSpace.W12));
        var d = ex.Diagnostics.ShouldHaveSingleItem();
        d.Code.ShouldBe("LG0022");
        d.Location!.File.ShouldBe(file);
        d.Location.Line.ShouldBeGreaterThan(1);
        d.Location.Column.ShouldBeGreaterThan(0);
    }

    [ReferenceDataFact]
    public void Truncated_json_table_is_LG0022()
    {
        var folder = CopyTables("dynamicofa-jetson", "160_lookup_table.json");
        var file = Path.Combine(folder, "160_lookup_table.json");
        File.WriteAllText(file, File.ReadAllText(file)[..5000]);
        var ex = Should.Throw<LatencyGateException>(() => LookupTablePredictor.Load(folder, OfaSpace.W12));
        ex.Diagnostics.ShouldHaveSingleItem().Code.ShouldBe("LG0022");
    }

    [ReferenceDataFact]
    public void Table_missing_a_key_names_the_key_the_layer_and_the_file()
    {
        var folder = CopyTables("note10", "192_lookup_table.yaml");
        var file = Path.Combine(folder, "192_lookup_table.yaml");
        const string key = "expanded_conv-input:12x12x136-output:12x12x136-expand:408-kernel:3-stride:1-idskip:1-se:1-hs:1";
        RemoveEntry(file, key);
        var predictor = LookupTablePredictor.Load(folder, OfaSpace.W12);
        var arch = Arch.Create(Enumerable.Repeat(3, 20).ToArray(), Enumerable.Repeat(3, 20).ToArray(), [2, 2, 2, 2, 2], 192);
        var ex = Should.Throw<LatencyGateException>(() => predictor.Predict(arch));
        var d = ex.Diagnostics.ShouldHaveSingleItem();
        d.Code.ShouldBe("LG0023");
        d.Message.ShouldContain(key);
        d.Message.ShouldContain("block slot 13");
        d.Location!.File.ShouldBe(file);
        Should.Throw<LatencyGateException>(() => predictor.Explain(arch)).Diagnostics[0].Code.ShouldBe("LG0023");
    }

    [Fact]
    public void Entry_without_mean_is_LG0025()
    {
        Directory.CreateDirectory(_temp);
        File.WriteAllText(Path.Combine(_temp, "160_lookup_table.yaml"), "Conv-input:160x160x3-output:80x80x24:\n  count: 3\n  std: 0.1\n");
        var ex = Should.Throw<LatencyGateException>(() => LookupTablePredictor.Load(_temp, OfaSpace.W12));
        var d = ex.Diagnostics.ShouldHaveSingleItem();
        d.Code.ShouldBe("LG0025");
        d.Location.ShouldBe(new SourceLocation(Path.Combine(_temp, "160_lookup_table.yaml"), 1, 1));
    }

    internal static void RemoveEntry(string file, string key)
    {
        var lines = File.ReadAllLines(file).ToList();
        var at = lines.IndexOf(key + ":");
        at.ShouldBeGreaterThanOrEqualTo(0);
        lines.RemoveRange(at, 4);
        File.WriteAllLines(file, lines);
    }

    private static Arch Reres(Arch a, int r) =>
        Arch.Create(a.KernelSizes.ToArray().Select(v => (int)v).ToArray(), a.ExpandRatios.ToArray().Select(v => (int)v).ToArray(), a.Depths.ToArray().Select(v => (int)v).ToArray(), r, OfaSpace.W12);

    private string CopyTables(string device, string pattern, string? except = null)
    {
        var folder = Path.Combine(_temp, device);
        Directory.CreateDirectory(folder);
        foreach (var f in Directory.GetFiles(ReferenceData.PathOf("ofa-lut", device), pattern))
        {
            if (Path.GetFileName(f) != except)
            {
                var target = Path.Combine(folder, Path.GetFileName(f));
                File.Copy(f, target);
                File.SetAttributes(target, FileAttributes.Normal);
            }
        }

        return folder;
    }
}
