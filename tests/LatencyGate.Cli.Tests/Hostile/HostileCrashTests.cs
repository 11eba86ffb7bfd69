using System.Text.Json;
using Shouldly;
using Xunit;

namespace LatencyGate.Tests.Hostile;

/// <summary>Issue 18, "Crashes": each input that ended in LG0999/exit 3 now ends in a coded error or a result.</summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")] // FIFOs, signals and file modes are Unix
public sealed class HostileCrashTests
{
    [Fact]
    public void Item01_metrics_that_cannot_be_computed_are_null_in_json_and_na_in_text()
    {
        using var fleet = new TempFolder("examples/fleet");
        var one = fleet.File("one.csv");
        File.WriteAllLines(one, File.ReadAllLines(fleet.File("data/phone-mid.csv")).Take(2));
        var predictor = fleet.File("predictors/edge-gpu.safetensors");

        var json = Hostile.Run("evaluate", "--predictor", predictor, "--data", one, "--json");
        json.ExitCode.ShouldBe(0, json.Stderr);
        using var doc = JsonDocument.Parse(json.Stdout);
        doc.RootElement.GetProperty("spearman").ValueKind.ShouldBe(JsonValueKind.Null);
        doc.RootElement.GetProperty("mae_ms").GetDouble().ShouldBeGreaterThan(0);
        doc.RootElement.GetProperty("undefined").GetProperty("spearman").GetString()!.ShouldContain("2 distinct archs");

        var text = Hostile.Run("evaluate", "--predictor", predictor, "--data", one);
        text.ExitCode.ShouldBe(0, text.Stderr);
        text.Stdout.ShouldContain("Spearman n/a");
        text.Stdout.ShouldNotContain("NaN");
    }

    [Theory]
    [InlineData(float.NaN)]
    [InlineData(float.PositiveInfinity)]
    public void Item01_predict_json_with_a_non_finite_bias_is_LG0043_not_a_crash(float bias)
    {
        using var fleet = new TempFolder("examples/fleet");
        var predictor = fleet.File("predictors/edge-gpu.safetensors");
        Hostile.SetTensor(predictor, "mlp.2.bias", bias);
        Hostile.Run("predict", "--space", Hostile.Space, "--predictor", predictor, "--arch", fleet.File("model/arch.json"), "--json")
            .ShouldFailWith("LG0043");
    }

    [Fact]
    public void Item02_a_lut_folder_with_symlink_loops_is_checked_promptly()
    {
        using var fleet = new TempFolder("examples/fleet");
        var luts = fleet.File("luts/phone-big");
        File.CreateSymbolicLink(Path.Combine(luts, "a"), ".");
        File.CreateSymbolicLink(Path.Combine(luts, "b"), ".");
        var result = Hostile.Run("check", "-m", Hostile.LutManifest(fleet));
        result.ExitCode.ShouldBe(0, result.Stderr);
        result.Stdout.ShouldContain("PASS  phone");
    }

    [Fact]
    public void Item02_lut_proc_self_and_an_unreadable_subfolder_are_located_errors()
    {
        using var fleet = new TempFolder("examples/fleet");
        var proc = Hostile.Run("check", "-m", Hostile.LutManifest(fleet, lut: "/proc/self"));
        proc.ExitCode.ShouldBe(2, proc.Stderr);
        proc.Stderr.ShouldContain("latency-gate.test.yaml(10,");

        var locked = Directory.CreateDirectory(fleet.File("luts/phone-big/locked"));
        File.SetUnixFileMode(locked.FullName, UnixFileMode.None);
        try
        {
            // As root the folder stays readable and the gate passes; otherwise LG0046 at the manifest line.
            var result = Hostile.Run("check", "-m", Hostile.LutManifest(fleet));
            if (result.ExitCode != 0)
            {
                result.ShouldFailWith("LG0046").ShouldContain("latency-gate.test.yaml(10,");
            }
        }
        finally
        {
            File.SetUnixFileMode(locked.FullName, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
    }

    [Fact]
    public void Item04_bad_output_paths_are_LG0045()
    {
        using var fleet = new TempFolder("examples/fleet");
        var data = fleet.File("data/phone-mid.csv");
        var folder = Directory.CreateDirectory(fleet.File("a-folder")).FullName;
        var file = fleet.File("a-file");
        File.WriteAllText(file, "x");

        Hostile.Run("fit", "--space", Hostile.Space, "--data", data, "--out", folder).ShouldFailWith("LG0045");
        Hostile.Run("fit", "--space", Hostile.Space, "--data", data, "--out", "/proc/nope/o.safetensors").ShouldFailWith("LG0045");
        Hostile.Run("simulate", "--device", "sim-phone-mid", "--space", Hostile.Space, "--count", "3", "--out", folder).ShouldFailWith("LG0045");
        var search = Hostile.LutManifest(fleet, extra: "search: {population: 10, generations: 2}");
        Hostile.Run("search", "-m", search, "--out", file).ShouldFailWith("LG0045");
    }

    [Fact]
    public void Item05_fit_on_degenerate_latencies_is_refused_row_by_row_and_constant_data_fits()
    {
        using var fleet = new TempFolder("examples/fleet");
        var data = fleet.File("data/phone-mid.csv");
        foreach (var value in new[] { "0", "1e300", "1e-320" })
        {
            var csv = Hostile.WithLatency(fleet, data, value, "degenerate.csv");
            Hostile.Run("fit", "--space", Hostile.Space, "--data", csv, "--out", fleet.File("o.safetensors")).ShouldFailWith("LG0150");
        }

        var constant = Hostile.WithLatency(fleet, data, "5", "constant.csv");
        var fit = Hostile.Run("fit", "--space", Hostile.Space, "--data", constant, "--out", fleet.File("c.safetensors"), "--epochs", "5");
        fit.ExitCode.ShouldBe(0, fit.Stderr);
        fit.Stdout.ShouldNotContain("NaN");
        Hostile.Run("predict", "--space", Hostile.Space, "--predictor", fleet.File("c.safetensors"), "--arch", fleet.File("model/arch.json"), "--json").ExitCode.ShouldBe(0);
    }

    [Fact]
    public void Item06_monotonicity_on_rows_of_one_arch_is_LG0723()
    {
        using var fleet = new TempFolder("examples/fleet");
        var arch = File.ReadAllLines(fleet.File("data/phone-mid.csv"))[1];
        arch = arch[..arch.LastIndexOf(',')];
        var csv = fleet.File("one-arch.csv");
        File.WriteAllLines(csv, ["arch,a,b,c", .. Enumerable.Range(0, 20).Select(i => $"{arch},{1 + (i * 7 % 5)},{2 + (i * 3 % 7)},{3 + (i % 4)}")]);
        Hostile.Run("monotonicity", "--data", csv, "--columns", "a,b,c").ShouldFailWith("LG0723").ShouldContain("distinct arch");
    }

    [Fact]
    public void Item07_search_over_resolutions_the_lut_lacks_is_LG0024_at_the_manifest_line()
    {
        using var fleet = new TempFolder("examples/fleet");
        var manifest = fleet.File("search.yaml");
        File.WriteAllText(manifest, $"""
            version: 1
            space: {Hostile.Space}
            search: {"{"}population: 10, generations: 2, resolutions: [128, 160]{"}"}
            devices:
              - name: phone
                budget_ms: 14
                predictor:
                  lut: luts/phone-big
            """);
        Hostile.Run("search", "-m", manifest, "--out", fleet.File("out")).ShouldFailWith("LG0024").ShouldStartWith(manifest + "(8,");
        Hostile.Run("check", "-m", manifest).ShouldFailWith("LG0024");
    }

    [Fact]
    public void Item08_devices_and_fifos_as_inputs_are_refused_at_once()
    {
        using var fleet = new TempFolder("examples/fleet");
        var fifo = fleet.File("fifo");
        Hostile.MakeFifo(fifo);
        var predictor = fleet.File("predictors/edge-gpu.safetensors");
        var arch = fleet.File("model/arch.json");
        foreach (var special in new[] { "/dev/zero", fifo })
        {
            Hostile.Run("check", "-m", special).ShouldFailWith("LG0413");
            Hostile.Run("predict", "--space", Hostile.Space, "--predictor", predictor, "--arch", special).ShouldFailWith("LG0007");
            Hostile.Run("evaluate", "--predictor", predictor, "--data", special).ShouldFailWith("LG0152");
            Hostile.Run("predict", "--space", Hostile.Space, "--predictor", special, "--arch", arch).ShouldFailWith("LG0100");
            Hostile.Run("monotonicity", "--data", special, "--columns", "a,b").ShouldFailWith("LG0720");
        }
    }
}
