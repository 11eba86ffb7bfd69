using System.Globalization;
using FsCheck;
using FsCheck.Fluent;
using LatencyGate.Diagnostics;
using LatencyGate.Measurements;
using LatencyGate.Spaces;
using Shouldly;
using Xunit;

namespace LatencyGate.Tests.Measurements;

public sealed class MeasurementsCsvTests
{
    private const string A1 = "{'wid': None, 'ks': [7, 7, 3, 3, 5, 7, 3, 7, 3, 7, 3, 7, 5, 7, 7, 5, 5, 5, 7, 5], 'e': [6, 3, 4, 4, 3, 6, 4, 6, 6, 3, 4, 6, 6, 3, 3, 4, 6, 4, 6, 6], 'd': [2, 4, 2, 3, 3], 'r': [208]}";

    // Same network as A1: only inactive slots (stage 0 slots 2-3) differ.
    private const string A1Variant = "{\"ks\": [7, 7, 5, 5, 5, 7, 3, 7, 3, 7, 3, 7, 5, 7, 7, 5, 5, 5, 7, 5], \"e\": [6, 3, 6, 6, 3, 6, 4, 6, 6, 3, 4, 6, 6, 3, 3, 4, 6, 4, 6, 6], \"d\": [2, 4, 2, 3, 3], \"image_size\": 208}";

    private const string A2 = "{'wid': None, 'ks': [7, 5, 5, 5, 3, 5, 3, 5, 3, 5, 3, 5, 7, 5, 5, 3, 3, 7, 3, 5], 'e': [6, 3, 6, 3, 3, 3, 6, 6, 6, 6, 3, 6, 4, 4, 4, 6, 6, 6, 4, 4], 'd': [4, 4, 4, 4, 2], 'r': [176]}";

    [Fact]
    public void Reads_arch_column_in_both_forms_and_averages_repeats()
    {
        var csv = $"arch,latency_ms\n\"{A1}\",20.0\n\"{A2}\",18.5\n\"{A1Variant.Replace("\"", "\"\"", StringComparison.Ordinal)}\",21.0\n";
        var set = MeasurementsCsv.Parse(csv, "m.csv", OfaSpace.W10);
        set.RowCount.ShouldBe(3);
        set.Items.Count.ShouldBe(2);
        set.DuplicateRows.ShouldBe(1);
        set.Items[0].LatencyMs.ShouldBe(20.5);
        set.Items[0].Count.ShouldBe(2);
        set.Items[0].Line.ShouldBe(2);
        set.Items[1].LatencyMs.ShouldBe(18.5);
    }

    [Fact]
    public void Reads_flat_columns_with_a_named_latency_column()
    {
        var header = "row,r," + string.Join(",", Enumerable.Range(0, 5).Select(i => $"d{i}")) + "," + string.Join(",", Enumerable.Range(0, 20).Select(i => $"ks{i}")) + "," + string.Join(",", Enumerable.Range(0, 20).Select(i => $"e{i}")) + ",gpu";
        var row = "0,208,2,4,2,3,3,7,7,3,3,5,7,3,7,3,7,3,7,5,7,7,5,5,5,7,5,6,3,4,4,3,6,4,6,6,3,4,6,6,3,3,4,6,4,6,6,20.595002";
        var set = MeasurementsCsv.Parse(header + "\n" + row + "\n", "f.csv", OfaSpace.W10, "gpu");
        set.Items.Single().Arch.ShouldBe(ArchJson.Parse(A1, OfaSpace.W10));
        set.Items.Single().LatencyMs.ShouldBe(20.595002);
    }

    [Fact]
    public void Every_bad_row_is_reported_with_its_line()
    {
        var csv = string.Join("\n", "arch,latency_ms", $"\"{A1}\",20", $"\"{A2}\",", $"\"{A2}\",NaN", "\"{'ks': [1]}\",3", $"\"{A2}\",-1", $"\"{A2}\",fast", $"\"{A2}\",18");
        var ex = Should.Throw<LatencyGateException>(() => MeasurementsCsv.Parse(csv, "bad.csv", OfaSpace.W10));
        var lines = ex.Diagnostics.Select(d => d.Location!.Line).Distinct().ToArray();
        lines.ShouldBe([3, 4, 5, 6, 7]);
        ex.Diagnostics.ShouldAllBe(d => d.Code == "LG0150");
        ex.Diagnostics.Select(d => d.ToString()).ShouldContain(s => s.StartsWith("bad.csv(6,1): error LG0150", StringComparison.Ordinal) && s.Contains("negative", StringComparison.Ordinal));
    }

    /// <summary>
    /// Two CSVs joined (<c>cat a.csv b.csv</c>, b saved with a byte order mark): the line where b starts
    /// is one error naming the mark, not one for its latency cell and another ("unexpected '\uFEFF'")
    /// for its arch cell; a row that only starts with the mark is one error too.
    /// </summary>
    [Theory]
    [InlineData("\uFEFFarch,latency_ms", "the header row again, after a UTF-8 byte order mark")]
    [InlineData("arch,latency_ms", "the header row again: a second CSV file")]
    [InlineData("\uFEFF\"{'ks': [3]}\",18", "the row starts with a UTF-8 byte order mark (U+FEFF)")]
    public void A_second_file_joined_on_is_one_error_for_its_line(string joined, string message)
    {
        var csv = string.Join("\n", "\uFEFFarch,latency_ms", $"\"{A1}\",20", joined, $"\"{A2}\",18");

        var ex = Should.Throw<LatencyGateException>(() => MeasurementsCsv.Parse(csv, "joined.csv", OfaSpace.W10));

        var error = ex.Diagnostics.ShouldHaveSingleItem();
        error.ToString().ShouldStartWith("joined.csv(3,1): error LG0150: " + message);
    }

    [Fact]
    public void Missing_columns_are_named()
    {
        Should.Throw<LatencyGateException>(() => MeasurementsCsv.Parse($"arch,ms\n\"{A1}\",1\n", "x.csv", OfaSpace.W10)).Diagnostics.Single().Code.ShouldBe("LG0151");
        Should.Throw<LatencyGateException>(() => MeasurementsCsv.Parse("r,d0,latency_ms\n1,2,3\n", "x.csv", OfaSpace.W10)).Diagnostics.Single().Code.ShouldBe("LG0151");
        Should.Throw<LatencyGateException>(() => MeasurementsCsv.Parse("arch,latency_ms\n", "x.csv", OfaSpace.W10)).Diagnostics.Single().Code.ShouldBe("LG0152");
    }

    [Fact]
    public void A_bad_latency_is_always_located_on_its_line()
    {
        var bad = Gen.Elements("", "NaN", "-0.5", "abc", "1e400", "Infinity", "1,2");
        var shape = from good in Gen.Choose(0, 6) from text in bad select (good, text);
        Prop.ForAll(shape.ToArbitrary(), s =>
        {
            var rows = Enumerable.Repeat($"\"{A2}\",18", s.good).Append($"\"{A1}\",{(s.text.Contains(',', StringComparison.Ordinal) ? "\"" + s.text + "\"" : s.text)}");
            var csv = "arch,latency_ms\n" + string.Join("\n", rows);
            var ex = Should.Throw<LatencyGateException>(() => MeasurementsCsv.Parse(csv, "p.csv", OfaSpace.W10));
            return ex.Diagnostics.Count == 1 && ex.Diagnostics[0].Location!.Line == s.good + 2;
        }).QuickCheckThrowOnFailure();
    }

    [ReferenceDataFact]
    public void Reads_the_seed_papers_csv_and_its_flat_twin_identically()
    {
        var paper = MeasurementsCsv.Read(ReferenceData.PathOf("ofanas-perfest", "datasets", "RTX_2080_Ti_GPU", "RTX_2080_Ti_GPU_ofa.csv"), OfaSpace.W10, "latency");
        var flat = MeasurementsCsv.Read(ReferenceData.PathOf("ofanas-perfest", "flat", "ofa_mbv3_paired_3devices.csv"), OfaSpace.W10, "lat_rtx2080ti_gpu_bs64_ms");
        paper.RowCount.ShouldBe(10_000);
        paper.Items.Count.ShouldBe(flat.Items.Count);
        for (var i = 0; i < paper.Items.Count; i += 97)
        {
            paper.Items[i].Arch.ShouldBe(flat.Items[i].Arch);
            paper.Items[i].LatencyMs.ShouldBe(flat.Items[i].LatencyMs, 1e-6);
        }

        paper.Sha256.Length.ShouldBe(64);
        paper.Items[0].LatencyMs.ShouldBe(double.Parse("20.59500217437744", CultureInfo.InvariantCulture));
    }
}
