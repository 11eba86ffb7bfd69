using System.Text;
using System.Text.Json;
using Shouldly;
using Xunit;

namespace LatencyGate.Tests.Hostile;

/// <summary>
/// Issue 18, the wider sweep (round 4): one test per class of failure a sweep of ~3,000 hostile
/// cases over every command found after the 17 listed items were fixed.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")] // FIFOs and symbolic links to devices
public sealed class HostileSweepTests
{
    [Fact]
    public void A_safetensors_header_that_is_not_utf8_is_LG0103_for_every_reader()
    {
        using var fleet = new TempFolder("examples/fleet");
        var file = fleet.File("predictors/edge-gpu.safetensors");
        var bytes = File.ReadAllBytes(file);
        // An invalid UTF-8 byte inside a JSON string of the header (the metadata's format).
        var at = bytes.AsSpan().IndexOf("latency-gate/predictor"u8);
        at.ShouldBeGreaterThan(8);
        bytes[at] = 0xff;
        File.WriteAllBytes(file, bytes);

        Hostile.Run("predict", "--space", Hostile.Space, "--predictor", file, "--arch", fleet.File("model/arch.json")).ShouldFailWith("LG0103").ShouldContain("UTF-8");
        Hostile.Run("sample", "--space", Hostile.Space, "--base", file, "--count", "3").ShouldFailWith("LG0103");
    }

    [Fact]
    public void Arch_lists_and_net_config_files_that_are_devices_or_fifos_are_refused_at_once()
    {
        using var folder = new TempFolder();
        var fifo = folder.File("fifo");
        Hostile.MakeFifo(fifo);
        foreach (var special in new[] { "/dev/zero", fifo })
        {
            Hostile.Run("export", "--space", Hostile.Space, "--archs", special, "--out", folder.File("onnx")).ShouldFailWith("LG0805");
            Directory.Exists(folder.File("onnx")).ShouldBeFalse();
        }

        var net = Directory.CreateDirectory(folder.File("net")).FullName;
        File.WriteAllText(Path.Combine(net, "run.config"), """{"image_size": 224}""");
        File.CreateSymbolicLink(Path.Combine(net, "net.config"), "/dev/zero");
        Hostile.Run("export", "--net-config", net, "--out", folder.File("n.onnx")).ShouldFailWith("LG0807");
        File.Delete(Path.Combine(net, "run.config"));
        Hostile.MakeFifo(Path.Combine(net, "run.config"));
        Hostile.Run("export", "--net-config", net, "--out", folder.File("n.onnx")).ShouldFailWith("LG0807");
        File.Exists(folder.File("n.onnx")).ShouldBeFalse();
    }

    [Fact]
    public void Empty_and_folder_output_paths_are_located_errors()
    {
        using var fleet = new TempFolder("examples/fleet");
        Hostile.Run("init", "--path", string.Empty).ShouldFailWith("LG0045").ShouldContain("the path is empty");
        Hostile.Run("init", "--path", "/").ShouldFailWith("LG0045");
        var archs = fleet.File("archs.jsonl");
        File.WriteAllText(archs, File.ReadAllText(fleet.File("model/arch.json")) + "\n");
        Hostile.Run("export", "--space", Hostile.Space, "--archs", archs, "--out", string.Empty).ShouldFailWith("LG0802");
        File.WriteAllText(fleet.File("a-file"), "x");
        Hostile.Run("export", "--space", Hostile.Space, "--archs", archs, "--out", fleet.File("a-file/onnx")).ShouldFailWith("LG0802");
    }

    [Fact]
    public void Simulate_writes_nothing_when_an_option_is_bad_and_refuses_an_empty_arch_list()
    {
        using var folder = new TempFolder();
        var tables = folder.File("tables");
        var blocked = Directory.CreateDirectory(folder.File("a-folder")).FullName;
        Hostile.Run("simulate", "--device", "sim-phone-mid", "--space", Hostile.Space, "--count", "3", "--lut-out", tables, "--out", blocked).ShouldFailWith("LG0045");
        Hostile.Run("simulate", "--device", "sim-phone-mid", "--space", Hostile.Space, "--count", "3", "--lut-out", tables, "--repeats", "0", "--out", folder.File("m.csv")).ShouldFailWith("LG0902");
        Directory.Exists(tables).ShouldBeFalse("no lookup tables written before the error");
        File.Exists(folder.File("m.csv")).ShouldBeFalse();

        var empty = folder.File("empty.jsonl");
        File.WriteAllText(empty, "\n");
        Hostile.Run("simulate", "--device", "sim-phone-mid", "--space", Hostile.Space, "--archs", empty, "--out", folder.File("m.csv")).ShouldFailWith("LG0905").ShouldContain("holds no arch");
        File.Exists(folder.File("m.csv")).ShouldBeFalse();

        var ok = Hostile.Run("simulate", "--device", "sim-phone-mid", "--space", Hostile.Space, "--count", "3", "--lut-out", tables, "--lut-resolutions", "160");
        ok.ExitCode.ShouldBe(0, ok.Stderr);
        Directory.GetFiles(tables).Select(Path.GetFileName).ShouldBe(["160_lookup_table.yaml"], "one table, no temporary file");
    }

    [Fact]
    public void An_option_whose_value_is_another_option_is_LG0900_and_writes_nothing()
    {
        using var fleet = new TempFolder("examples/fleet");
        var before = Directory.GetFiles(Environment.CurrentDirectory);
        Hostile.Run("fit", "--space", Hostile.Space, "--data", fleet.File("data/phone-mid.csv"), "--out", "--json").ShouldFailWith("LG0900").ShouldContain("--out is missing its value");
        Hostile.Run("check", "-m", fleet.File("latency-gate.yaml"), "--report-dir", "--verbose").ShouldFailWith("LG0900");
        Hostile.Run("init", "--path", "--force").ShouldFailWith("LG0900");
        Directory.GetFiles(Environment.CurrentDirectory).ShouldBe(before, "no file named after an option");
    }

    [Fact]
    public void A_number_tagged_as_text_is_text_in_the_manifest()
    {
        using var fleet = new TempFolder("examples/fleet");
        var manifest = Hostile.LutManifest(fleet);
        File.WriteAllText(manifest, File.ReadAllText(manifest).Replace("budget_ms: 14", "budget_ms: !!str 14", StringComparison.Ordinal));
        Hostile.Run("check", "-m", manifest).ShouldFailWith("LG0402");

        // A tag outside YAML's core schema is refused, not ignored; a core one is fine.
        File.WriteAllText(manifest, File.ReadAllText(manifest).Replace("budget_ms: !!str 14", "budget_ms: !!python/object:os.system 14", StringComparison.Ordinal));
        Hostile.Run("check", "-m", manifest).ShouldFailWith("LG0400").ShouldContain("python/object:os.system");
        File.WriteAllText(manifest, File.ReadAllText(manifest).Replace("budget_ms: !!python/object:os.system 14", "budget_ms: !!float 14", StringComparison.Ordinal));
        Hostile.Run("check", "-m", manifest).ExitCode.ShouldBe(0);
    }

    [Fact]
    public void A_thousand_broken_devices_print_a_bounded_console_and_every_diagnostic_in_json()
    {
        using var fleet = new TempFolder("examples/fleet");
        var manifest = fleet.File("many.yaml");
        File.WriteAllText(manifest, $"version: 1\nspace: {Hostile.Space}\nmodel:\n  arch: model/arch.json\ndevices:\n"
            + string.Concat(Enumerable.Range(0, 1000).Select(i => $"  - name: d{i}\n    budget_ms: -{i + 1}\n    predictor:\n      lut: luts/nope{i}\n")));
        var text = Hostile.Run("check", "-m", manifest);
        text.ExitCode.ShouldBe(2);
        text.Stderr.Split('\n').Count(l => l.Contains(": error LG04", StringComparison.Ordinal)).ShouldBe(200);
        text.Stderr.ShouldContain("… and 1800 more (1800 errors) not shown here");
        text.Stderr.Length.ShouldBeLessThan(100_000);

        var json = Hostile.Run("check", "-m", manifest, "--json");
        using var doc = JsonDocument.Parse(json.Stdout);
        doc.RootElement.GetProperty("diagnostics").GetArrayLength().ShouldBe(2000);
    }

    [Fact]
    public void Adapting_on_one_distinct_arch_is_LG0202_in_fit_and_in_the_gate()
    {
        using var fleet = new TempFolder("examples/fleet");
        var row = File.ReadAllLines(fleet.File("data/edge-npu.csv"))[1];
        var csv = fleet.File("one-arch.csv");
        File.WriteAllLines(csv, ["arch,latency_ms", .. Enumerable.Repeat(row, 40)]);
        Hostile.Run("fit", "--space", Hostile.Space, "--data", csv, "--base", fleet.File("luts/phone-big"), "--strategy", "affine", "--out", fleet.File("a.safetensors"))
            .ShouldFailWith("LG0202").ShouldContain("1 distinct arch");
        File.Exists(fleet.File("a.safetensors")).ShouldBeFalse();

        var manifest = Hostile.LutManifest(fleet);
        File.WriteAllText(manifest, File.ReadAllText(manifest).Replace("lut: luts/phone-big", "finetune: {base: luts/phone-big, measurements: one-arch.csv, strategy: affine}", StringComparison.Ordinal));
        Hostile.Run("check", "-m", manifest).ShouldFailWith("LG0202").ShouldStartWith(manifest + "(10,");
    }

    [Fact]
    public void A_base_with_broken_weights_is_LG0043_when_adapted()
    {
        using var fleet = new TempFolder("examples/fleet");
        var predictor = fleet.File("predictors/edge-gpu.safetensors");
        Hostile.SetTensor(predictor, "additive.weights", float.PositiveInfinity);
        Hostile.Run("fit", "--space", Hostile.Space, "--data", fleet.File("data/edge-npu.csv"), "--base", predictor, "--out", fleet.File("a.safetensors"))
            .ShouldFailWith("LG0043").ShouldContain("cannot be adapted");
    }

    [Theory]
    [InlineData("1e308")]
    [InlineData("1e10")]
    [InlineData("5\0")]
    public void Monotonicity_latencies_that_are_no_latency_are_LG0722(string value)
    {
        using var folder = new TempFolder();
        var csv = folder.File("m.csv");
        File.WriteAllLines(csv, ["id,a,b,c", .. Enumerable.Range(0, 20).Select(i => $"{i},{(i == 7 ? value : (1 + i).ToString(System.Globalization.CultureInfo.InvariantCulture))},{2 + (i * 3 % 7)},{3 + (i % 4)}")]);
        Hostile.Run("monotonicity", "--data", csv, "--columns", "a,b,c", "--bootstrap", "10").ShouldFailWith("LG0722").ShouldStartWith(csv + "(9,2)");
    }

    [Fact]
    public void A_nul_in_a_latency_cell_is_LG0150()
    {
        using var fleet = new TempFolder("examples/fleet");
        var csv = fleet.File("nul.csv");
        var lines = File.ReadAllLines(fleet.File("data/phone-mid.csv"));
        lines[3] += "\0";
        File.WriteAllLines(csv, lines);
        Hostile.Run("evaluate", "--predictor", fleet.File("predictors/edge-gpu.safetensors"), "--data", csv).ShouldFailWith("LG0150").ShouldStartWith(csv + "(4,");
    }

    [Fact]
    public void Sample_from_data_never_proposes_an_arch_twice()
    {
        using var fleet = new TempFolder("examples/fleet");
        var archs = File.ReadAllLines(fleet.File("data/phone-mid.csv")).Skip(1).Select(l => l[..l.LastIndexOf(',')]).ToArray();
        var csv = fleet.File("repeated.csv");
        // Six distinct archs, each measured five times on both devices.
        File.WriteAllLines(csv, ["arch,a,b", .. Enumerable.Range(0, 30).Select(i => $"{archs[i % 6]},{1 + (i % 6)},{2 + (i % 6 * 3 % 5)}")]);
        var result = Hostile.Run("sample", "--data", csv, "--columns", "a,b", "--count", "6");
        result.ExitCode.ShouldBe(0, result.Stderr);
        var lines = result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        lines.Length.ShouldBe(6);
        lines.Distinct().Count().ShouldBe(6);
        Hostile.Run("sample", "--data", csv, "--columns", "a,b", "--count", "7").ShouldFailWith("LG0723").ShouldContain("6 distinct archs");
    }

    [Fact]
    public void A_step_summary_that_is_a_fifo_is_a_warning_not_a_hang()
    {
        using var fleet = new TempFolder("examples/fleet");
        var fifo = fleet.File("summary");
        Hostile.MakeFifo(fifo);
        var watch = System.Diagnostics.Stopwatch.StartNew();
        var result = CliRunner.RunWithEnvironment(new Dictionary<string, string> { ["GITHUB_STEP_SUMMARY"] = fifo, ["CI"] = "true" }, "check", "-m", Hostile.LutManifest(fleet));
        watch.Elapsed.ShouldBeLessThan(Hostile.Bound);
        Hostile.ShouldBeClean(result, "check with a FIFO step summary");
        result.ExitCode.ShouldBe(0, result.Stderr);
        result.Stderr.ShouldContain("warning LG0906");
    }

    [Fact]
    public void Search_writes_under_the_manifests_outputs_dir_and_checks_it_before_searching()
    {
        using var fleet = new TempFolder("examples/fleet");
        var manifest = fleet.File("search.yaml");
        var text = $"version: 1\nspace: {Hostile.Space}\nsearch: {{population: 4, generations: 1}}\ndevices:\n  - name: phone\n    budget_ms: 14\n    predictor:\n      lut: luts/phone-big\n";
        File.WriteAllText(manifest, text + "outputs: {dir: /proc/nope}\n");
        Hostile.Run("search", "-m", manifest).ShouldFailWith("LG0045").ShouldContain("/proc/nope/search");
        File.WriteAllText(manifest, text + "outputs: {dir: model/arch.json}\n");
        Hostile.Run("search", "-m", manifest).ShouldFailWith("LG0045");

        File.WriteAllText(manifest, text + "outputs: {dir: my-reports}\n");
        var ok = Hostile.Run("search", "-m", manifest);
        ok.ExitCode.ShouldBe(0, ok.Stderr);
        File.Exists(fleet.File("my-reports/search/phone.arch.json")).ShouldBeTrue();
    }

    [Theory]
    [InlineData("cores=1e308")]
    [InlineData("memory_gb=1e-320")]
    [InlineData("batch_size=99999999999")]
    [InlineData("batch_size=1.5")]
    [InlineData("name=")]
    [InlineData("name=a/b")]
    [InlineData("cores=4,cores=5")]
    public void Fit_generalized_refuses_absurd_device_specs(string change)
    {
        using var folder = new TempFolder();
        var csv = SimulatedDevice(folder);
        var fields = new Dictionary<string, string> { ["name"] = "a", ["cores"] = "4", ["memory_gb"] = "8", ["memory_bandwidth_gbps"] = "10", ["peak_fp32_gflops"] = "50", ["batch_size"] = "1" };
        // Each change replaces its field; a field named twice in the change is given twice.
        var extra = string.Empty;
        foreach (var part in change.Split(','))
        {
            var key = part[..part.IndexOf('=', StringComparison.Ordinal)];
            if (change.Split(',').Count(p => p.StartsWith(key + "=", StringComparison.Ordinal)) > 1)
            {
                extra += "," + part;
            }
            else
            {
                fields[key] = part[(key.Length + 1)..];
            }
        }

        var device = string.Join(",", fields.Select(f => $"{f.Key}={f.Value}")) + extra + $",data={csv}";
        var other = $"name=b,cores=8,memory_gb=8,memory_bandwidth_gbps=20,peak_fp32_gflops=500,batch_size=1,data={csv}";
        var result = Hostile.Run("fit-generalized", "--space", Hostile.Space, "--device", device, "--device", other, "--out", folder.File("g.safetensors"));
        result.ExitCode.ShouldBe(2, result.Stderr);
        result.Stderr.ShouldMatch("error LG0(908|201)");
        File.Exists(folder.File("g.safetensors")).ShouldBeFalse();
    }

    [Fact]
    public void Fit_generalized_refuses_two_devices_of_one_name_and_prints_no_nan()
    {
        using var folder = new TempFolder();
        var csv = SimulatedDevice(folder);
        var a = $"name=a,cores=4,memory_gb=8,memory_bandwidth_gbps=10,peak_fp32_gflops=50,batch_size=1,data={csv}";
        Hostile.Run("fit-generalized", "--space", Hostile.Space, "--device", a, "--device", a.Replace("cores=4", "cores=8", StringComparison.Ordinal), "--out", folder.File("g.safetensors"))
            .ShouldFailWith("LG0908").ShouldContain("named 'a'");
        var ok = Hostile.Run("fit-generalized", "--space", Hostile.Space, "--device", a, "--device", a.Replace("name=a", "name=b", StringComparison.Ordinal).Replace("cores=4", "cores=8", StringComparison.Ordinal), "--out", folder.File("g.safetensors"));
        ok.ExitCode.ShouldBe(0, ok.Stderr);
        ok.Stdout.ShouldNotContain("NaN");
        ok.Stdout.ShouldContain("level spread n/a");
    }

    [ReferenceDataFact]
    public void Accuracy_and_latency_predictors_are_not_taken_for_each_other()
    {
        using var fleet = new TempFolder("examples/fleet");
        var arch = fleet.File("model/arch.json");
        var accuracy = ReferenceData.PathOf("ofa-acc-predictor", "original", "acc_predictor.pth");
        var latency = ReferenceData.PathOf("ofanas-perfest", "checkpoints", "checkpoint_note10_ofa.pt");
        Hostile.Run("predict", "--space", Hostile.Space, "--predictor", accuracy, "--arch", arch).ShouldFailWith("LG0153").ShouldContain("accuracy predictor");
        Hostile.Run("accuracy", "--space", Hostile.Space, "--predictor", latency, "--arch", arch).ShouldFailWith("LG0153").ShouldContain("fraction in [0, 1]");
        Hostile.Run("accuracy", "--space", Hostile.Space, "--predictor", accuracy, "--arch", arch).ExitCode.ShouldBe(0);

        // In the gate: a device whose `file:` is OFA's accuracy predictor never passes at "0.80 ms".
        var manifest = Hostile.LutManifest(fleet);
        File.WriteAllText(manifest, File.ReadAllText(manifest).Replace("lut: luts/phone-big", "file: " + accuracy, StringComparison.Ordinal));
        Hostile.Run("check", "-m", manifest).ShouldFailWith("LG0432").ShouldContain("LG0153");
    }

    [Fact]
    public void A_value_that_looks_like_an_option_is_LG0900_on_commands_without_that_option()
    {
        using var folder = new TempFolder();
        Hostile.Run("simulate", "--device", "sim-phone-mid", "--space", Hostile.Space, "--count", "2", "--out", "--json").ShouldFailWith("LG0900").ShouldContain("looks like an option");
        // A negative number stays a value (refused by its own range check, not as an option).
        Hostile.Run("simulate", "--device", "sim-phone-mid", "--space", Hostile.Space, "--count", "-1", "--out", folder.File("m.csv")).ShouldFailWith("LG0902");
    }

    [Fact]
    public void Measure_out_that_is_a_fifo_a_device_or_empty_is_LG0802_at_once()
    {
        using var folder = new TempFolder();
        var archs = folder.File("archs.jsonl");
        File.WriteAllText(archs, CliRunner.Run("sample", "--space", Hostile.Space, "--count", "1").Stdout);
        var fifo = folder.File("m.csv");
        Hostile.MakeFifo(fifo);
        var device = folder.File("null.csv");
        File.CreateSymbolicLink(device, "/dev/null");
        foreach (var output in new[] { fifo, device, string.Empty })
        {
            Hostile.Run("measure", "--space", Hostile.Space, "--archs", archs, "--out", output, "--runs", "3", "--passes", "1", "--warmup", "0", "--anchor", "none")
                .ShouldFailWith("LG0802").ShouldContain("name a");
        }

        File.Exists(folder.File("m.passes.csv")).ShouldBeFalse();
    }

    [ReferenceDataFact]
    public void A_net_config_with_layer_values_no_ofa_net_has_is_LG0807()
    {
        using var folder = new TempFolder();
        var net = Directory.CreateDirectory(folder.File("net")).FullName;
        var source = ReferenceData.PathOf("ofa-specialized", "note10_lat-8ms_top1-71.4_finetune-25");
        File.Copy(Path.Combine(source, "run.config"), Path.Combine(net, "run.config"));
        File.WriteAllText(Path.Combine(net, "net.config"), File.ReadAllText(Path.Combine(source, "net.config")).Replace("\"stride\": 2", "\"stride\": 1000", StringComparison.Ordinal));
        Hostile.Run("export", "--net-config", net, "--out", folder.File("n.onnx")).ShouldFailWith("LG0807").ShouldContain("'stride' 1000");
        File.Exists(folder.File("n.onnx")).ShouldBeFalse();
    }

    /// <summary>Twelve simulated measurements of one device, the data of a fit-generalized device spec.</summary>
    private static string SimulatedDevice(TempFolder folder)
    {
        var csv = folder.File("d.csv");
        CliRunner.Run("simulate", "--device", "sim-edge-gpu", "--space", Hostile.Space, "--count", "12", "--out", csv).ExitCode.ShouldBe(0);
        return csv;
    }
}
