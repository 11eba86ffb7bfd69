using Shouldly;
using Xunit;

namespace LatencyGate.Tests.Hostile;

/// <summary>Issue 18, round 9: what its sweep of measure, export, doctor, builtin profiles, arch keys, report formats, odd numbers and full disks found.</summary>
public sealed class HostileRound9Tests
{
    private const string Key = "r192-d23232-k35|553|53|553|53-e34|443|43|443|44";

    [Theory]
    [InlineData("r١٩٢-d23232-k35|553|53|553|53-e34|443|43|443|44")]
    [InlineData("r１９２-d23232-k35|553|53|553|53-e34|443|43|443|44")]
    public void An_arch_key_with_digits_of_another_script_in_an_arch_list_is_LG0805_at_its_line(string key)
    {
        // The key's pattern took any Unicode digit (\d) and int.Parse then threw: LG0999, exit 3.
        using var dir = new TempFolder();
        var archs = dir.File("archs.txt");
        File.WriteAllText(archs, Key + "\n" + key + "\n");
        Hostile.Run("measure", "--space", Hostile.Space, "--archs", archs, "--out", dir.File("m.csv"), "--runs", "3", "--passes", "1", "--warmup", "0")
            .ShouldFailWith("LG0805").ShouldStartWith(archs + "(2,1): ");
        File.Exists(dir.File("m.csv")).ShouldBeFalse();
    }

    [Theory]
    [InlineData("١٩٢")]
    [InlineData("99999999999")]
    public void A_file_in_a_table_folder_named_like_a_table_of_no_resolution_is_not_a_table(string resolution)
    {
        // '١٩٢_lookup_table.yaml' matched the tables' name pattern (\d+) and int.Parse threw
        // (FormatException; OverflowException for 99999999999): LG0999 from predict, evaluate, check.
        using var fleet = new TempFolder("examples/fleet");
        File.Copy(fleet.File("luts/phone-big/192_lookup_table.yaml"), fleet.File($"luts/phone-big/{resolution}_lookup_table.yaml"));
        var result = Hostile.Run("predict", "--lut", fleet.File("luts/phone-big"), "--arch-json", Key);
        result.ExitCode.ShouldBe(0, result.Stderr);
        result.Stdout.ShouldContain("5 resolutions, 160..224");
    }

    [Fact]
    public void Simulate_past_a_million_rows_is_LG0902_before_it_fills_memory()
    {
        // --count 1000000 --repeats 1000 built a billion rows in memory (3.5 GB after 20 s, still growing).
        using var dir = new TempFolder();
        Hostile.Run("simulate", "--device", "sim-edge-npu", "--space", Hostile.Space, "--count", "1001", "--repeats", "1000", "--out", dir.File("s.csv"))
            .ShouldFailWith("LG0902").ShouldContain("1,001,000 rows");
        File.Exists(dir.File("s.csv")).ShouldBeFalse();
    }

    [Fact]
    public void Simulate_lut_out_that_fails_at_one_table_leaves_no_table_folder_half_written()
    {
        // Each table was written alone: a failure at the third (here a folder in its place; a full
        // disk does the same) left the first two, a folder that loads with fewer resolutions.
        using var dir = new TempFolder();
        var lut = dir.File("lut");
        Directory.CreateDirectory(Path.Combine(lut, "192_lookup_table.yaml"));
        Hostile.Run("simulate", "--device", "sim-edge-npu", "--space", Hostile.Space, "--lut-out", lut, "--lut-resolutions", "160,176,192,208")
            .ShouldFailWith("LG0028");
        Directory.GetFiles(lut).ShouldBeEmpty();
    }

    [Fact]
    public void An_empty_report_format_list_in_the_manifest_is_LG0434_at_its_line()
    {
        // 'formats: []' wrote no report and said nothing, while 'check --format ""' is LG0521.
        using var fleet = new TempFolder("examples/fleet");
        var manifest = Hostile.LutManifest(fleet, extra: "outputs: {formats: []}");
        var result = Hostile.Run("check", "-m", manifest, "--report-dir", fleet.File("rep"));
        result.ShouldFailWith("LG0434").ShouldStartWith(manifest + "(5,20): ");
        File.Exists(fleet.File("rep/latency-gate.json")).ShouldBeFalse();
    }
}
