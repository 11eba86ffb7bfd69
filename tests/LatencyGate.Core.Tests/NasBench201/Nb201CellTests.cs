using LatencyGate.Diagnostics;
using LatencyGate.Monotonicity;
using LatencyGate.Spaces.NasBench201;
using Shouldly;
using Xunit;

namespace LatencyGate.Tests.NasBench201;

public sealed class Nb201CellTests
{
    [Fact]
    public void Parses_and_prints_the_arch_string_round_trip()
    {
        const string text = "|avg_pool_3x3~0|+|nor_conv_1x1~0|skip_connect~1|+|nor_conv_1x1~0|skip_connect~1|skip_connect~2|";
        var cell = Nb201Cell.Parse(text);
        cell.ToString().ShouldBe(text);
        cell[0].ShouldBe(Nb201Op.AvgPool3x3);
        cell[5].ShouldBe(Nb201Op.SkipConnect);
    }

    [Theory]
    [InlineData("|none~0|+|none~0|none~1|")]
    [InlineData("|conv~0|+|none~0|none~1|+|none~0|none~1|none~2|")]
    [InlineData("|none~1|+|none~0|none~1|+|none~0|none~1|none~2|")]
    [InlineData("none~0|+|none~0|none~1|+|none~0|none~1|none~2|")]
    public void Rejects_bad_strings_with_LG0700(string text)
    {
        var ex = Should.Throw<LatencyGateException>(() => Nb201Cell.Parse(text));
        ex.Diagnostics[0].Code.ShouldBe(MonotonicityErrors.BadNb201Arch);
    }

    [Fact]
    public void Canonical_index_enumerates_all_cells_once()
    {
        var all = Nb201Cell.All().ToList();
        all.Count.ShouldBe(15625);
        all.Select(c => c.ToString()).Distinct().Count().ShouldBe(15625);
        all.Select((c, i) => c.CanonicalIndex == i).All(x => x).ShouldBeTrue();
        Should.Throw<LatencyGateException>(() => Nb201Cell.FromCanonicalIndex(15625)).Diagnostics[0].Code.ShouldBe(MonotonicityErrors.Nb201IndexOutOfRange);
    }

    [Fact]
    public void Structure_cuts_none_edges()
    {
        // 1←0 conv3x3, 2←0 none, 2←1 none, 3←0 skip, 3←1 none, 3←2 conv1x1: node 2 has no input, so its conv is dead; node 1 has no output.
        var s = new Nb201Structure(Nb201Cell.Parse("|nor_conv_3x3~0|+|none~0|none~1|+|skip_connect~0|none~1|nor_conv_1x1~2|"));
        s.IsConnected.ShouldBeTrue();
        s.LiveCount(Nb201Op.Conv3x3).ShouldBe(0);
        s.LiveCount(Nb201Op.Conv1x1).ShouldBe(0);
        s.LiveCount(Nb201Op.SkipConnect).ShouldBe(1);
        s.LivePaths.Count.ShouldBe(1);
        var dead = new Nb201Structure(Nb201Cell.Parse("|nor_conv_3x3~0|+|nor_conv_3x3~0|none~1|+|none~0|none~1|none~2|"));
        dead.IsConnected.ShouldBeFalse();
        dead.LiveEdges.Any(e => e).ShouldBeFalse();
        Nb201Features.Structural(dead.Cell).Length.ShouldBe(Nb201Features.StructuralNames.Count);
    }

    [ReferenceDataFact]
    public void Data_sets_use_the_official_index_and_agree()
    {
        var help = MeasurementTable.Read(ReferenceData.PathOf("help", "nasbench201", "nb201_latency.csv"));
        var byString = help.Text("arch_str").Select((s, i) => (s, i)).ToDictionary(x => x.s, x => x.i);
        byString.Count.ShouldBe(15625);
        help.Text("arch_str").All(s => Nb201Cell.Parse(s).ToString() == s).ShouldBeTrue();
        var oneproxy = MeasurementTable.Read(ReferenceData.PathOf("oneproxy", "nb201_1999_latency_ms.csv"));
        var idx = oneproxy.Numbers("nb201_arch_idx");
        oneproxy.Text("arch_str").Select((s, i) => byString[s] == (int)idx[i]).All(x => x).ShouldBeTrue();
        help.Text("arch_str")[0].ShouldBe("|avg_pool_3x3~0|+|nor_conv_1x1~0|skip_connect~1|+|nor_conv_1x1~0|skip_connect~1|skip_connect~2|");
    }
}
