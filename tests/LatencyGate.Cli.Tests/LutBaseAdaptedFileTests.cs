using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using LatencyGate.Adaptation;
using LatencyGate.Learning.WeightFiles;
using LatencyGate.Measurements;
using LatencyGate.Predictors;
using LatencyGate.Predictors.Lut;
using LatencyGate.Spaces;
using Shouldly;
using Xunit;

namespace LatencyGate.Tests;

/// <summary>
/// <c>fit --base builtin:note10</c> and <c>fit --base LUT-FOLDER</c> write adapted predictor files: the
/// built-in table referenced by name and content hash, a folder's tables embedded. The file predicts
/// exactly what the in-memory adaptation does (with the folder gone), is the same bytes whatever the
/// thread count, and refuses to predict from tables other than those it was adapted on. The device is
/// simulated (sim-phone-mid), so no reference data is needed.
/// </summary>
public sealed class LutBaseAdaptedFileTests : IDisposable
{
    private const string Space = "ofa-mbv3-w1.2";
    private readonly TempFolder _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Fit_base_builtin_note10_writes_a_small_file_that_predict_evaluate_and_a_manifest_read_back_exactly()
    {
        var csv = Measurements();
        var model = _dir.File("note10-adapted.safetensors");
        var fit = CliRunner.Run("fit", "--space", Space, "--data", csv, "--base", "builtin:note10", "--strategy", "auto", "--shots", "15", "--out", model);
        fit.ExitCode.ShouldBe(0, fit.Stderr);
        fit.Stdout.ShouldContain("auto chose");

        var measurements = MeasurementsCsv.Read(csv, OfaSpace.W12);
        var expected = InMemory(LookupTablePredictor.Load("builtin:note10", OfaSpace.W12), measurements);
        foreach (var i in new[] { 0, 7, 19 })
        {
            PredictShouldReproduce(model, measurements.Items[i].Arch, expected);
        }

        var evaluate = CliRunner.Run("evaluate", "--predictor", model, "--data", csv, "--json");
        evaluate.ExitCode.ShouldBe(0, evaluate.Stderr);
        var metrics = LatencyMetrics.Compute(expected.PredictAll(measurements.Items.Select(m => m.Arch).ToArray()), measurements.Items.Select(m => m.LatencyMs).ToArray());
        using (var json = JsonDocument.Parse(evaluate.Stdout))
        {
            json.RootElement.GetProperty("predictor").GetString().ShouldBe(expected.Description);
            json.RootElement.GetProperty("mae_ms").GetDouble().ShouldBe(metrics.MaeMs);
        }

        // Referenced, not embedded: the tool's own copy is checked against the recorded hash on load.
        var metadata = SafetensorsFile.Read(model).Metadata;
        metadata["base0.lut_source"].ShouldBe("builtin:note10");
        metadata.Keys.ShouldNotContain(k => k.Contains("lut_table.", StringComparison.Ordinal));
        new FileInfo(model).Length.ShouldBeLessThan(16_000);

        // A manifest device whose predictor is the file (the gate's file source).
        var arch = measurements.Items[5].Arch;
        File.WriteAllText(_dir.File("shipped.arch.json"), ArchJson(arch));
        File.WriteAllText(_dir.File("latency-gate.yaml"), """
            version: 1
            space: ofa-mbv3-w1.2
            model:
              arch: shipped.arch.json
            devices:
              - name: phone
                budget_ms: 1000
                predictor: {file: note10-adapted.safetensors}
            """);
        var check = CliRunner.Run("check", "--manifest", _dir.File("latency-gate.yaml"), "--cache-dir", _dir.File("cache"), "--report-dir", _dir.File("reports"));
        check.ExitCode.ShouldBe(0, check.Stderr);
        using var report = JsonDocument.Parse(File.ReadAllText(_dir.File(Path.Combine("reports", "latency-gate.json"))));
        var device = report.RootElement.GetProperty("devices")[0];
        device.GetProperty("predictor").GetString().ShouldBe(expected.Description);
        device.GetProperty("latency_ms").GetDouble().ShouldBe(expected.PredictAll([arch])[0], 1e-4, "the report rounds to 4 decimals");
    }

    [Fact]
    public void Fit_base_lut_folder_embeds_the_tables_predicts_without_the_folder_and_writes_the_same_bytes_at_any_thread_count()
    {
        var csv = Measurements();
        var folder = _dir.File("npu-tables");
        var tables = CliRunner.Run("simulate", "--device", "sim-edge-npu", "--space", Space, "--count", "1", "--lut-out", folder);
        tables.ExitCode.ShouldBe(0, tables.Stderr);
        var model = _dir.File("npu-adapted.safetensors");
        string[] fitArgs = ["fit", "--space", Space, "--data", csv, "--base", folder, "--strategy", "auto", "--shots", "15", "--out", model];
        var fit = CliRunner.Run(fitArgs);
        fit.ExitCode.ShouldBe(0, fit.Stderr);

        // The same command in a process that sees one processor writes the same bytes.
        var first = File.ReadAllBytes(model);
        File.Delete(model);
        var child = ChildProcess.Run("dotnet", _dir.Path, [typeof(Cli.CliApp).Assembly.Location, .. fitArgs], new Dictionary<string, string> { ["DOTNET_PROCESSOR_COUNT"] = "1" }, TimeSpan.FromMinutes(2));
        child.ExitCode.ShouldBe(0, child.ToString());
        File.ReadAllBytes(model).ShouldBe(first);

        var measurements = MeasurementsCsv.Read(csv, OfaSpace.W12);
        var lut = LookupTablePredictor.Load(folder, OfaSpace.W12);
        var expected = InMemory(lut, measurements);
        var metadata = SafetensorsFile.Read(model).Metadata;
        metadata["base0.lut_source"].ShouldBe("embedded");
        metadata["base0.lut_sha256"].ShouldBe(LutContent.Sha256(lut.Tables));
        metadata.Keys.Count(k => k.StartsWith("base0.lut_table.", StringComparison.Ordinal)).ShouldBe(5);

        Directory.Delete(folder, recursive: true);
        foreach (var i in new[] { 1, 12, 25 })
        {
            PredictShouldReproduce(model, measurements.Items[i].Arch, expected);
        }

        var loaded = PredictorLoader.Load(OfaSpace.W12, null, model);
        loaded.Description.ShouldBe(expected.Description, "the embedded tables keep the folder's name");

        // A resolution between the embedded tables (fitted without --interpolate): the advice fits a file.
        var a = measurements.Items[0].Arch;
        var at168 = Arch.CreateTrusted(a.KernelSizes.ToArray(), a.ExpandRatios.ToArray(), a.Depths.ToArray(), 168);
        CliRunner.Run("predict", "--space", Space, "--predictor", model, "--arch-json", ArchJson(at168)).ExpectSingleError("LG0024").ShouldContain("refit the file with fit --base … --interpolate");
    }

    [Fact]
    public void An_edited_embedded_table_or_a_builtin_table_of_other_content_is_refused_with_a_code_and_exit_2()
    {
        var csv = Measurements();
        var folder = _dir.File("npu-tables");
        CliRunner.Run("simulate", "--device", "sim-edge-npu", "--space", Space, "--count", "1", "--lut-out", folder).ExitCode.ShouldBe(0);
        var embedded = _dir.File("embedded.safetensors");
        var builtin = _dir.File("builtin.safetensors");
        CliRunner.Run("fit", "--space", Space, "--data", csv, "--base", folder, "--shots", "10", "--out", embedded).ExitCode.ShouldBe(0);
        CliRunner.Run("fit", "--space", Space, "--data", csv, "--base", "builtin:note10", "--shots", "10", "--out", builtin).ExitCode.ShouldBe(0);
        var arch = ArchJson(MeasurementsCsv.Read(csv, OfaSpace.W12).Items[0].Arch);

        // One mean of one embedded table nudged by 1 %: the recorded hash no longer matches.
        Rewrite(embedded, metadata =>
        {
            var table = JsonNode.Parse(metadata["base0.lut_table.192"])!.AsObject();
            var key = table.First().Key;
            table[key] = table[key]!.GetValue<double>() * 1.01;
            metadata["base0.lut_table.192"] = table.ToJsonString();
        });
        CliRunner.Run("predict", "--space", Space, "--predictor", embedded, "--arch-json", arch).ExpectSingleError("LG0261").ShouldContain("edited or damaged");

        // A built-in table whose content differs from the one the file was adapted on (as a future tool
        // version's corrected table would): the file says so instead of predicting from other tables.
        Rewrite(builtin, metadata => metadata["base0.lut_sha256"] = new string('0', 64));
        var error = CliRunner.Run("evaluate", "--predictor", builtin, "--data", csv).ExpectSingleError("LG0260");
        error.ShouldContain("builtin:note10");
        error.ShouldContain("refit");
    }

    [Fact]
    public void An_adapted_file_as_the_base_is_refused_before_adapting_with_LG0207()
    {
        var csv = Measurements();
        var adapted = _dir.File("adapted.safetensors");
        CliRunner.Run("fit", "--space", Space, "--data", csv, "--base", "builtin:note10", "--shots", "10", "--out", adapted).ExitCode.ShouldBe(0);
        var again = _dir.File("again.safetensors");
        var fit = CliRunner.Run("fit", "--space", Space, "--data", csv, "--base", adapted, "--strategy", "adaproxy", "--shots", "10", "--out", again);
        fit.ExpectSingleError("LG0207").ShouldContain("made from");
        fit.Stdout.ShouldBeEmpty("refused before the adaptation runs");
        File.Exists(again).ShouldBeFalse();
    }

    [Fact]
    public void A_resolution_between_the_tables_needs_interpolate_which_the_file_records()
    {
        var folder = _dir.File("npu-tables");
        CliRunner.Run("simulate", "--device", "sim-edge-npu", "--space", Space, "--count", "1", "--lut-out", folder).ExitCode.ShouldBe(0);
        var csv = Measurements("168,192");
        var model = _dir.File("interpolated.safetensors");

        // The tables have 160, 176, 192, 208, 224: r=168 is refused at the folder, and nothing is written.
        var refused = CliRunner.Run("fit", "--space", Space, "--data", csv, "--base", folder, "--shots", "15", "--out", model);
        refused.ExpectSingleError("LG0024").ShouldContain("--interpolate");
        File.Exists(model).ShouldBeFalse();

        var fit = CliRunner.Run("fit", "--space", Space, "--data", csv, "--base", folder, "--shots", "15", "--interpolate", "--out", model);
        fit.ExitCode.ShouldBe(0, fit.Stderr);
        SafetensorsFile.Read(model).Metadata["base0.lut_interpolate"].ShouldBe("true");
        var measurements = MeasurementsCsv.Read(csv, OfaSpace.W12);
        var expected = InMemory(LookupTablePredictor.Load(folder, OfaSpace.W12, interpolate: true), measurements);
        var at168 = measurements.Items.First(m => m.Arch.Resolution == 168).Arch;
        PredictShouldReproduce(model, at168, expected);

        // Outside the tables' range the file says what to do about it, at the file.
        var at128 = Arch.CreateTrusted(at168.KernelSizes.ToArray(), at168.ExpandRatios.ToArray(), at168.Depths.ToArray(), 128);
        CliRunner.Run("predict", "--space", Space, "--predictor", model, "--arch-json", ArchJson(at128)).ExpectSingleError("LG0024").ShouldContain("cannot be interpolated");

        // --interpolate means nothing without a lookup-table base.
        CliRunner.Run("fit", "--space", Space, "--data", csv, "--interpolate", "--out", _dir.File("scratch.safetensors")).ExpectSingleError("LG0156");
    }

    /// <summary>
    /// A resolution below the tables (sample without --resolutions draws 128–224; Note10 has 160–224) is
    /// not sent to --interpolate, which would only fail again: the first error says interpolation cannot
    /// cover it and how to sample archs the tables have.
    /// </summary>
    [Fact]
    public void A_resolution_outside_the_tables_says_interpolate_cannot_help_and_how_to_sample()
    {
        var csv = Measurements("128,192");

        var refused = CliRunner.Run("fit", "--space", Space, "--data", csv, "--base", "builtin:note10", "--shots", "15", "--out", _dir.File("x.safetensors"));

        var line = refused.ExpectSingleError("LG0024");
        line.ShouldContain("no lookup table for resolution 128; builtin:note10 has tables for 160, 164,");
        line.ShouldContain("128 lies outside their range, so interpolation cannot cover it either; use archs at resolutions within 160..224 (sample --resolutions 160,164,");
        line.ShouldNotContain("ask for interpolation");
    }

    /// <summary>30 archs (by default at Note10's resolutions), "measured" on a simulated phone.</summary>
    private string Measurements(string resolutions = "160,176,192,208,224")
    {
        var sample = CliRunner.Run("sample", "--space", Space, "--count", "30", "--seed", "3", "--resolutions", resolutions);
        sample.ExitCode.ShouldBe(0, sample.Stderr);
        File.WriteAllText(_dir.File("archs.jsonl"), sample.Stdout);
        var csv = _dir.File("phone.csv");
        var simulate = CliRunner.Run("simulate", "--device", "sim-phone-mid", "--space", Space, "--archs", _dir.File("archs.jsonl"), "--out", csv);
        simulate.ExitCode.ShouldBe(0, simulate.Stderr);
        return csv;
    }

    /// <summary>What <c>fit --strategy auto --shots 15</c> (seed 1) computes, without the file in between.</summary>
    private static ILatencyPredictor InMemory(ILatencyPredictor basePredictor, MeasurementSet measurements) =>
        AdaptationRun.Run([basePredictor], measurements.Items.Select(m => (m.Arch, m.LatencyMs)).ToArray(), "auto", 15, 1).WithIntervals;

    private static void Rewrite(string path, Action<Dictionary<string, string>> edit)
    {
        var file = SafetensorsFile.Read(path);
        var metadata = new Dictionary<string, string>(file.Metadata, StringComparer.Ordinal);
        edit(metadata);
        SafetensorsFile.Write(path, file.Tensors, metadata);
    }

    /// <summary><c>predict --json</c> on the stored file gives exactly the in-memory prediction and 95 % interval.</summary>
    private static void PredictShouldReproduce(string model, Arch arch, ILatencyPredictor expected)
    {
        var predict = CliRunner.Run("predict", "--space", Space, "--predictor", model, "--arch-json", ArchJson(arch), "--json");
        predict.ExitCode.ShouldBe(0, predict.Stderr);
        var estimate = new LatencyEstimate[1];
        expected.PredictWithInterval([arch], 0.95, estimate);
        using var json = JsonDocument.Parse(predict.Stdout);
        json.RootElement.GetProperty("latency_ms").GetDouble().ShouldBe(estimate[0].Ms);
        json.RootElement.GetProperty("lower_ms").GetDouble().ShouldBe(estimate[0].LowerMs);
        json.RootElement.GetProperty("upper_ms").GetDouble().ShouldBe(estimate[0].UpperMs);
    }

    private static string ArchJson(Arch arch) => string.Create(
        CultureInfo.InvariantCulture,
        $$"""{"ks":[{{string.Join(",", arch.KernelSizes.ToArray())}}],"e":[{{string.Join(",", arch.ExpandRatios.ToArray())}}],"d":[{{string.Join(",", arch.Depths.ToArray())}}],"r":[{{arch.Resolution}}]}""");
}
