using LatencyGate.Diagnostics;
using LatencyGate.Monotonicity;
using LatencyGate.Spaces.FbNet;
using Shouldly;
using Xunit;

namespace LatencyGate.Tests.FbNet;

public sealed class FbNetArchTests
{
    [ReferenceDataFact]
    public void Parses_every_help_arch_and_matches_its_op_columns()
    {
        var table = MeasurementTable.Read(ReferenceData.PathOf("help", "fbnet", "fbnet_latency.csv"));
        var text = table.Text("arch_str");
        var op0 = table.Numbers("op0");
        var op21 = table.Numbers("op21");
        for (var i = 0; i < text.Length; i++)
        {
            var arch = FbNetArch.Parse(text[i]);
            arch.ToString().ShouldBe(text[i]);
            arch.Ops[0].ShouldBe((byte)op0[i]);
            arch.Ops[21].ShouldBe((byte)op21[i]);
            FbNetArch.FromIndex(arch.Index).ShouldBe(arch);
        }
    }

    [Fact]
    public void Rejects_bad_strings_with_LG0710()
    {
        Should.Throw<LatencyGateException>(() => FbNetArch.Parse("k3_e1|skip")).Diagnostics[0].Code.ShouldBe(MonotonicityErrors.BadFbNetArch);
        Should.Throw<LatencyGateException>(() => FbNetArch.Parse(string.Join("|", Enumerable.Repeat("k9_e1", 22)))).Diagnostics[0].Code.ShouldBe(MonotonicityErrors.BadFbNetArch);
        Should.Throw<LatencyGateException>(() => FbNetArch.FromIndex(FbNetArch.SpaceSize)).Diagnostics[0].Code.ShouldBe(MonotonicityErrors.FbNetIndexOutOfRange);
    }
}
