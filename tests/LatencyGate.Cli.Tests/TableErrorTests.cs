using LatencyGate.Manifest;
using Shouldly;
using Xunit;

namespace LatencyGate.Tests;

/// <summary>
/// Lookup tables that do not fit the manifest (the other OFA width, a resolution without a table):
/// located errors at the manifest line that names the tables, exit code 2, never an internal error.
/// </summary>
public sealed class TableErrorTests
{
    private const string Arch192 = """{"ks":[3,5,7,5,3,5,7,5,3,5,7,5,3,5,7,5,3,5,7,5],"e":[4,4,6,3,4,4,6,3,4,4,6,3,4,4,6,3,4,4,6,3],"d":[3,3,3,3,3],"r":[192]}""";

    [Fact]
    public void Init_with_the_builtin_note10_tables_takes_their_space_and_check_runs()
    {
        using var folder = new TempFolder();
        var init = CliRunner.Run("init", "--path", folder.File("gate/latency-gate.yaml"), "--lut", "builtin:note10");
        init.ExitCode.ShouldBe(0, init.Stderr);
        init.Stdout.ShouldContain("--manifest");
        ManifestLoader.Load(folder.File("gate/latency-gate.yaml")).Manifest!.Space.Value.Name.ShouldBe("ofa-mbv3-w1.2");

        var (code, stdout, stderr) = CliRunner.Run("check", "--manifest", folder.File("gate/latency-gate.yaml"));

        // The starter's arch fits its 25 ms budget on these tables: a newcomer's first check is green.
        code.ShouldBe(0, stdout + stderr);
        stderr.ShouldNotContain("LG0999");
        stdout.ShouldContain("PASS  my-phone: gated latency 19.86 ms");
    }

    [Fact]
    public void Init_refuses_a_space_that_contradicts_the_tables()
    {
        using var folder = new TempFolder();
        CliRunner.Run("init", "--path", folder.File("latency-gate.yaml"), "--lut", "builtin:note10", "--space", "ofa-mbv3-w1.0").ExpectSingleError("LG0910");
    }

    [ReferenceDataFact]
    public void Init_with_a_w12_table_folder_takes_w12()
    {
        using var folder = new TempFolder();
        CopyTables(folder.File("tables"), 160, 176, 192, 208, 224);

        var init = CliRunner.Run("init", "--path", folder.File("latency-gate.yaml"), "--lut", "tables");

        init.ExitCode.ShouldBe(0, init.Stderr);
        ManifestLoader.Load(folder.File("latency-gate.yaml")).Manifest!.Space.Value.Name.ShouldBe("ofa-mbv3-w1.2");
        CliRunner.Run("check", "--manifest", folder.File("latency-gate.yaml")).ExitCode.ShouldBeOneOf(0, 1);
    }

    [ReferenceDataFact]
    public void Tables_of_the_other_width_are_located_at_the_lut_line_and_name_the_space_they_look_like()
    {
        using var folder = new TempFolder();
        CopyTables(folder.File("tables"), 160, 176, 192, 208, 224);
        File.WriteAllText(folder.File("arch.json"), Arch192);
        File.WriteAllText(folder.File("latency-gate.yaml"), Manifest("ofa-mbv3-w1.0", "tables"));

        var line = CliRunner.Run("check", "--manifest", folder.File("latency-gate.yaml")).ExpectSingleError("LG0029");

        line.ShouldStartWith(folder.File("latency-gate.yaml") + "(9,12): error LG0029: lookup tables 'tables'");
        line.ShouldContain("look like tables of ofa-mbv3-w1.2");
    }

    [ReferenceDataFact]
    public void A_shipped_resolution_without_a_table_is_located_and_interpolate_in_the_manifest_fixes_it()
    {
        using var folder = new TempFolder();
        CopyTables(folder.File("tables"), 160, 176, 192, 208, 224);
        File.WriteAllText(folder.File("arch.json"), Arch192.Replace("[192]", "[200]", StringComparison.Ordinal));
        File.WriteAllText(folder.File("latency-gate.yaml"), Manifest("ofa-mbv3-w1.2", "tables"));

        var line = CliRunner.Run("check", "--manifest", folder.File("latency-gate.yaml")).ExpectSingleError("LG0024");

        line.ShouldStartWith(folder.File("latency-gate.yaml") + "(9,12): error LG0024: device 'phone': lookup tables 'tables' have no table for resolution 200 (the shipped arch's resolution 200)");
        line.ShouldContain("interpolate: true");

        File.WriteAllText(folder.File("latency-gate.yaml"), Manifest("ofa-mbv3-w1.2", "{path: tables, interpolate: true}"));
        var (code, stdout, stderr) = CliRunner.Run("check", "--manifest", folder.File("latency-gate.yaml"));
        code.ShouldBe(0, stderr);
        stdout.ShouldContain("PASS  phone");
    }

    [ReferenceDataFact]
    public void A_search_resolution_without_a_table_is_located_too()
    {
        using var folder = new TempFolder();
        CopyTables(folder.File("tables"), 160, 176, 192, 208, 224);
        File.WriteAllText(folder.File("latency-gate.yaml"), """
            version: 1
            space: ofa-mbv3-w1.2
            search:
              resolutions: [160, 200]
              generations: 5
            devices:
              - name: phone
                budget_ms: 30
                predictor:
                  lut: tables
            """);

        var line = CliRunner.Run("search", "--manifest", folder.File("latency-gate.yaml"), "--out", folder.File("out")).ExpectSingleError("LG0024");

        line.ShouldContain("latency-gate.yaml(10,12): error LG0024: device 'phone': lookup tables 'tables' have no table for resolution 200 (search 'resolutions')");
    }

    private static string Manifest(string space, string lut) => $"""
        version: 1
        space: {space}
        model:
          arch: arch.json
        devices:
          - name: phone
            budget_ms: 60
            predictor:
              lut: {lut}
        """;

    private static void CopyTables(string to, params int[] resolutions)
    {
        Directory.CreateDirectory(to);
        foreach (var r in resolutions)
        {
            File.Copy(ReferenceData.PathOf("ofa-lut", "note10", $"{r}_lookup_table.yaml"), Path.Combine(to, $"{r}_lookup_table.yaml"));
        }
    }
}
