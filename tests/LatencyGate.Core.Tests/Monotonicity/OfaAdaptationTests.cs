using System.Globalization;
using LatencyGate.Diagnostics;
using LatencyGate.Monotonicity;
using LatencyGate.Randomness;
using LatencyGate.Spaces;
using LatencyGate.Statistics;
using Shouldly;
using Xunit;

namespace LatencyGate.Tests.Monotonicity;

public sealed class OfaAdaptationTests
{
    private static Arch[] Sample(int n, ulong seed)
    {
        var sampler = new ArchSampler(OfaSpace.W10.Resolutions);
        var random = new SeededRandom(seed);
        return [.. Enumerable.Range(0, n).Select(_ => sampler.Sample(random))];
    }

    [Fact]
    public void Structural_layout_is_fixed_and_lut_key_columns_add_up_to_the_block_macs()
    {
        var names = OfaAdaptationFeatures.StructuralNames.ToList();
        OfaAdaptationFeatures.StructuralTier.Count.ShouldBe(names.Count);
        foreach (var space in OfaSpace.All)
        {
            foreach (var arch in Sample(20, 7))
            {
                var x = OfaAdaptationFeatures.Structural(arch, space);
                x.Length.ShouldBe(names.Count);
                var lut = x[..(Arch.SlotCount * 9)];
                lut.Count(v => v > 0).ShouldBe(arch.ActiveBlockCount);
                lut.Sum().ShouldBe(x[names.IndexOf("block_macs")], 1e-9);
                x[names.IndexOf("macs")].ShouldBe(OfaMobileNetV3.Macs(arch, space) / 1e6, 1e-6);
                x[names.IndexOf("blocks")].ShouldBe(arch.ActiveBlockCount);
                OfaAdaptationFeatures.OneHot(arch).Sum().ShouldBe(2 * arch.ActiveBlockCount);
            }
        }
    }

    [Fact]
    public void Arch_column_reads_json_and_python_dicts_like_the_flat_columns()
    {
        var archs = Sample(6, 11);
        static string Json(Arch a) => string.Create(CultureInfo.InvariantCulture, $"{{\"ks\": [{Join(a.KernelSizes)}], \"e\": [{Join(a.ExpandRatios)}], \"d\": [{Join(a.Depths)}], \"r\": [{a.Resolution}]}}");
        static string Python(Arch a) => string.Create(CultureInfo.InvariantCulture, $"{{'wid': None, 'ks': [{Join(a.KernelSizes)}], 'e': [{Join(a.ExpandRatios)}], 'd': [{Join(a.Depths)}], 'image_size': {a.Resolution}}}");
        static string Flat(Arch a) => string.Join(',', [a.Resolution.ToString(CultureInfo.InvariantCulture), Join(a.Depths), Join(a.KernelSizes), Join(a.ExpandRatios)]);
        var flatHeader = "r," + string.Join(',', Enumerable.Range(0, 5).Select(i => $"d{i}")) + "," + string.Join(',', Enumerable.Range(0, 20).Select(i => $"ks{i}")) + "," + string.Join(',', Enumerable.Range(0, 20).Select(i => $"e{i}")) + ",lat_a,lat_b";
        var json = Read("arch,lat_a,lat_b\n" + string.Concat(archs.Select((a, i) => Quote(Json(a)) + Latencies(i))));
        var python = Read("arch,lat_a,lat_b\n" + string.Concat(archs.Select((a, i) => Quote(Python(a)) + Latencies(i))));
        var flat = Read(flatHeader + "\n" + string.Concat(archs.Select((a, i) => Flat(a) + Latencies(i))));
        foreach (var set in new[] { json, python })
        {
            set.Space.ShouldBe(OfaSpace.W10.Name);
            for (var i = 0; i < archs.Length; i++)
            {
                set.Structural[i].ShouldBe(flat.Structural[i]);
                set.OneHot[i].ShouldBe(flat.OneHot[i]);
                set.Structural[i].ShouldBe(OfaAdaptationFeatures.Structural(archs[i], OfaSpace.W10));
            }
        }

        var wide = ArchColumnReader.Read(MeasurementTable.Read(new StringReader("arch,lat_a\n" + Quote(Json(archs[0])) + ",1\n"), "w.csv"), OfaSpace.W12)!;
        wide.Structural[0].ShouldBe(OfaAdaptationFeatures.Structural(archs[0], OfaSpace.W12));
    }

    [Fact]
    public void Bad_ofa_cells_get_coded_errors_pointing_at_the_cell()
    {
        var notAnArch = Should.Throw<LatencyGateException>(() => Read("lat_a,arch\n1,hello\n"));
        notAnArch.Diagnostics[0].Code.ShouldBe(MonotonicityErrors.BadArchCell);
        notAnArch.Diagnostics[0].Location!.Line.ShouldBe(2);
        notAnArch.Diagnostics[0].Location!.Column.ShouldBe(2);
        var missing = Should.Throw<LatencyGateException>(() => Read("arch,lat_a\n\"{'ks': [3], 'e': [3]}\",1\n"));
        missing.Diagnostics.ShouldContain(d => d.Code == ArchErrors.MissingField);
    }

    /// <summary>
    /// The gate's proxy path on OFA archs: one GPU as the proxy, 20 shots on another whose ranking
    /// differs (batch 64 versus batch 1), the best adapter beats the raw proxy ranking.
    /// </summary>
    [ReferenceDataFact]
    public void Best_adapter_repairs_an_ofa_proxy_ranking_from_20_shots()
    {
        var table = MeasurementTable.Read(ReferenceData.PathOf("help", "ofa", "ofa_mbv3_gpu_latency.csv"));
        var rows = Enumerable.Range(0, 600).ToArray();
        var set = ArchColumnReader.Read(table)!;
        var proxy = table.Numbers("lat_ms_titan_rtx_1");
        var y = table.Numbers("lat_ms_2080ti_64");
        var pool = AdaptationPool.ForProxy([.. rows.Select(i => set.OneHot[i])], [.. rows.Select(i => set.Structural[i])], [.. rows.Select(i => proxy[i])], set.Tiers);
        double ours = 0, raw = 0;
        for (var seed = 0UL; seed < 2; seed++)
        {
            var order = rows.ToArray();
            new SeededRandom(seed).Shuffle(order.AsSpan());
            var shots = order[..20];
            var test = order[20..];
            double Srcc(double[] p) => RankCorrelation.Spearman([.. test.Select(i => p[i])], [.. test.Select(i => y[i])]);
            ours += Srcc(ProxyAdapters.Best.Adapt(pool, shots, [.. shots.Select(i => y[i])])) / 2;
            raw += Srcc(ProxyAdapters.RawProxy.Adapt(pool, shots, [.. shots.Select(i => y[i])])) / 2;
        }

        ours.ShouldBeGreaterThan(raw);
        ours.ShouldBeGreaterThan(0.95);
    }

    private static string Join(ReadOnlySpan<byte> values) => string.Join(", ", values.ToArray().Select(v => v.ToString(CultureInfo.InvariantCulture)));

    private static string Quote(string text) => "\"" + text.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    private static string Latencies(int i) => string.Create(CultureInfo.InvariantCulture, $",{1 + i},{10 - i}\n");

    private static ArchFeatureSet Read(string csv) => ArchColumnReader.Read(MeasurementTable.Read(new StringReader(csv), "m.csv"))!;
}
