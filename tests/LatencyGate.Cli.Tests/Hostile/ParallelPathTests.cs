using Shouldly;
using Xunit;

namespace LatencyGate.Tests.Hostile;

/// <summary>
/// Issue 12 item 3: each path where a user's mistake is met inside parallel work (devices checked
/// at once, devices searched at once, the search's own workers) ends in that mistake's code.
/// </summary>
public sealed class ParallelPathTests
{
    [Fact]
    public void Check_mode_devices_in_parallel_a_table_missing_a_key()
    {
        using var fleet = new TempFolder("examples/fleet");
        var broken = Directory.CreateDirectory(fleet.File("luts/broken")).FullName;
        foreach (var table in Directory.GetFiles(fleet.File("luts/phone-big")))
        {
            File.Copy(table, Path.Combine(broken, Path.GetFileName(table)));
        }

        var path = Path.Combine(broken, "192_lookup_table.yaml");
        var text = File.ReadAllText(path);
        // The final conv's entry, which every arch at 192 needs.
        text.ShouldContain("\nConv_1-input:");
        File.WriteAllText(path, text.Replace("\nConv_1-input:", "\nRenamed_1-input:", StringComparison.Ordinal));
        var manifest = fleet.File("two.yaml");
        File.WriteAllText(manifest, $"""
            version: 1
            space: {Hostile.Space}
            model:
              arch: model/arch.json
            devices:
              - name: good
                budget_ms: 14
                predictor:
                  lut: luts/phone-big
              - name: bad
                budget_ms: 14
                predictor:
                  lut: luts/broken
            """);
        var result = Hostile.Run("check", "-m", manifest, "--threads", "2");
        result.ExitCode.ShouldBe(2, result.Stderr);
        result.Stderr.ShouldContain("error LG0023");
    }

    [Fact]
    public void Search_mode_devices_in_parallel_and_the_search_workers_a_missing_resolution()
    {
        using var fleet = new TempFolder("examples/fleet");
        var manifest = fleet.File("search.yaml");
        File.WriteAllText(manifest, $"""
            version: 1
            space: {Hostile.Space}
            search: {"{"}population: 10, generations: 2, resolutions: [128, 160]{"}"}
            devices:
              - name: a
                budget_ms: 14
                predictor:
                  lut: luts/phone-big
              - name: b
                budget_ms: 20
                predictor:
                  lut: luts/phone-big
            """);
        Hostile.Run("check", "-m", manifest, "--threads", "2").ShouldFailWith("LG0024");
        Hostile.Run("search", "-m", manifest, "--threads", "2", "--out", fleet.File("out")).ShouldFailWith("LG0024");
        Hostile.Run("search", "-m", manifest, "--threads", "2", "--sweep", "10:20:3", "--out", fleet.File("out")).ShouldFailWith("LG0024");
    }
}
