using Shouldly;
using Xunit;

namespace LatencyGate.Tests;

/// <summary><c>fit-generalized --device</c> names the bandwidth as the manifest's <c>hardware:</c> does; the old name still works.</summary>
public sealed class FitGeneralizedFieldNameTests
{
    [Fact]
    public void Memory_bandwidth_gbps_is_the_field_and_bandwidth_gbps_an_accepted_alias_giving_the_same_file()
    {
        using var folder = new TempFolder();
        var csvs = new[] { "sim-gpu-small-b32", "sim-gpu-large-b32" }.Select(p =>
        {
            var csv = folder.File(p + ".csv");
            CliRunner.Run("simulate", "--device", p, "--space", "ofa-mbv3-w1.2", "--count", "60", "--out", csv).ExitCode.ShouldBe(0);
            return csv;
        }).ToArray();
        string[] Args(string field, string output) =>
        [
            "fit-generalized", "--space", "ofa-mbv3-w1.2",
            "--device", $"name=small,cores=1000,memory_gb=8,{field}=200,peak_fp32_gflops=3000,batch_size=32,data={csvs[0]}",
            "--device", $"name=large,cores=6000,memory_gb=24,{field}=900,peak_fp32_gflops=20000,batch_size=32,data={csvs[1]}",
            "--out", folder.File(output),
        ];

        var current = CliRunner.Run(Args("memory_bandwidth_gbps", "a.safetensors"));
        var alias = CliRunner.Run(Args("bandwidth_gbps", "b.safetensors"));

        current.ExitCode.ShouldBe(0, current.Stderr);
        alias.ExitCode.ShouldBe(0, alias.Stderr);
        File.ReadAllBytes(folder.File("b.safetensors")).ShouldBe(File.ReadAllBytes(folder.File("a.safetensors")));
        var typo = CliRunner.Run(Args("memory_bandwith_gbps", "c.safetensors"));
        typo.ExitCode.ShouldBe(2);
        typo.Stderr.ShouldContain("error LG0908");
        typo.Stderr.ShouldContain("(did you mean 'memory_bandwidth_gbps'?)");
        CliRunner.Run("fit-generalized", "--help").Stdout.ShouldContain("memory_bandwidth_gbps=");
    }
}
