using System.Diagnostics;
using System.Text.Json;
using Shouldly;
using Xunit;

namespace LatencyGate.Tests;

public sealed class PredictCommandTests : IDisposable
{
    private const string Ks = "[5, 3, 3, 3, 5, 3, 3, 3, 7, 7, 3, 3, 5, 5, 7, 3, 3, 3, 5, 3]";
    private const string E = "[3, 3, 3, 3, 4, 4, 3, 3, 6, 3, 4, 3, 4, 4, 4, 3, 6, 6, 6, 3]";
    private readonly string _temp = Path.Combine(Path.GetTempPath(), "lg-cli-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_temp))
        {
            Directory.Delete(_temp, recursive: true);
        }
    }

    private static string Note10 => ReferenceData.PathOf("ofa-lut", "note10");

    private static string TutorialArch()
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(ReferenceData.PathOf("ofa-lut", "golden_vectors.json")));
        return doc.RootElement.GetProperty("cases").EnumerateArray().First(c => c.GetProperty("name").GetString() == "tutorial_note10_25ms").GetProperty("arch").GetRawText();
    }

    [ReferenceDataFact]
    public void Predict_json_prints_one_object_with_the_lut_latency()
    {
        var (code, stdout, stderr) = CliRunner.Run("predict", "--space", "ofa-mbv3-w1.2", "--lut", Note10, "--arch-json", TutorialArch(), "--json");
        code.ShouldBe(0, stderr);
        stderr.ShouldBeEmpty();
        stdout.TrimEnd('\n').ShouldNotContain("\n");
        using var doc = JsonDocument.Parse(stdout);
        var latency = doc.RootElement.GetProperty("latency_ms").GetDouble();
        latency.ShouldBe(24.73016685342752, 1e-9);
        doc.RootElement.GetProperty("lower_ms").GetDouble().ShouldBe(latency);
        doc.RootElement.GetProperty("upper_ms").GetDouble().ShouldBe(latency);
    }

    [ReferenceDataFact]
    public void Predict_reads_an_arch_file_in_python_literal_form_and_prints_a_human_line()
    {
        Directory.CreateDirectory(_temp);
        var file = Path.Combine(_temp, "arch.txt");
        File.WriteAllText(file, $"{{'wid': None, 'ks': {Ks}, 'e': {E}, 'd': [2, 2, 3, 4, 3], 'r': [192]}}\n");
        var (code, stdout, stderr) = CliRunner.Run("predict", "--space", "ofa-mbv3-w1.2", "--lut", Note10, "--arch", file);
        code.ShouldBe(0, stderr);
        stdout.ShouldStartWith("24.7302 ms");
        stdout.ShouldContain("LUT note10");
    }

    [ReferenceDataFact]
    public void Interpolation_is_said_in_the_output()
    {
        var arch = TutorialArch().Replace("192", "194", StringComparison.Ordinal).Replace("194", "190", StringComparison.Ordinal);
        CliRunner.Run("predict", "--space", "ofa-mbv3-w1.2", "--lut", Note10, "--arch-json", arch).ExpectSingleError("LG0001");
        var table = Path.Combine(_temp, "lut");
        Directory.CreateDirectory(table);
        foreach (var r in new[] { 188, 196 })
        {
            File.Copy(Path.Combine(Note10, $"{r}_lookup_table.yaml"), Path.Combine(table, $"{r}_lookup_table.yaml"));
        }

        var at192 = TutorialArch();
        CliRunner.Run("predict", "--space", "ofa-mbv3-w1.2", "--lut", table, "--arch-json", at192).ExpectSingleError("LG0024");
        var (code, stdout, _) = CliRunner.Run("predict", "--space", "ofa-mbv3-w1.2", "--lut", table, "--arch-json", at192, "--interpolate", "--json");
        code.ShouldBe(0);
        using var doc = JsonDocument.Parse(stdout);
        doc.RootElement.GetProperty("interpolated_from").EnumerateArray().Select(v => v.GetInt32()).ShouldBe([188, 196]);
        CliRunner.Run("predict", "--space", "ofa-mbv3-w1.2", "--lut", table, "--arch-json", at192, "--interpolate").Stdout.ShouldContain("interpolated between the 188 and 196 tables");
    }

    [ReferenceDataFact]
    public void Explain_prints_a_layer_table_and_json()
    {
        var (code, stdout, stderr) = CliRunner.Run("explain", "--space", "ofa-mbv3-w1.2", "--lut", Note10, "--arch-json", TutorialArch());
        code.ShouldBe(0, stderr);
        stdout.ShouldContain("expanded_conv");
        stdout.ShouldContain("AvgPool2D");
        stdout.ShouldContain("264.009");
        stdout.ShouldContain("24.7302");

        var json = CliRunner.Run("explain", "--space", "ofa-mbv3-w1.2", "--lut", Note10, "--arch-json", TutorialArch(), "--json");
        json.ExitCode.ShouldBe(0);
        using var doc = JsonDocument.Parse(json.Stdout);
        var layers = doc.RootElement.GetProperty("layers").EnumerateArray().ToArray();
        layers.Length.ShouldBe(20);
        layers.Sum(l => l.GetProperty("latency_ms").GetDouble()).ShouldBe(doc.RootElement.GetProperty("latency_ms").GetDouble(), 1e-9);
        layers[0].GetProperty("lut_key").GetString().ShouldBe("Conv-input:192x192x3-output:96x96x24");
        doc.RootElement.GetProperty("macs").GetInt64().ShouldBe(264008640);
    }

    [Fact]
    public void Explain_without_a_lut_shows_shapes_and_macs()
    {
        var arch = $"{{\"ks\": {Ks}, \"e\": {E}, \"d\": [2, 2, 3, 4, 3], \"r\": [192]}}";
        var (code, stdout, stderr) = CliRunner.Run("explain", "--space", "ofa-mbv3-w1.2", "--arch-json", arch);
        code.ShouldBe(0, stderr);
        stdout.ShouldContain("264.009");
        stdout.ShouldContain("Logits");
    }

    [Fact]
    public void Arch_with_kernel_9_is_one_LG0001_line()
    {
        var arch = $"{{\"ks\": {Ks.Replace("[5", "[9", StringComparison.Ordinal)}, \"e\": {E}, \"d\": [2, 2, 3, 4, 3], \"r\": [192]}}";
        var line = CliRunner.Run("predict", "--space", "ofa-mbv3-w1.2", "--lut", _temp, "--arch-json", arch).ExpectSingleError("LG0001");
        line.ShouldContain("'ks' slot 0 is 9");
        line.ShouldStartWith("--arch-json(1,2): ");
    }

    [Fact]
    public void Arch_without_d_is_one_LG0003_line()
    {
        Directory.CreateDirectory(_temp);
        var file = Path.Combine(_temp, "arch.json");
        File.WriteAllText(file, $"{{\"ks\": {Ks}, \"e\": {E}, \"r\": [192]}}");
        var line = CliRunner.Run("predict", "--space", "ofa-mbv3-w1.2", "--lut", _temp, "--arch", file).ExpectSingleError("LG0003");
        line.ShouldContain("'d'");
        line.ShouldStartWith(file + "(1,1): ");
    }

    [Fact]
    public void Lut_folder_that_does_not_exist_is_one_LG0020_line()
    {
        var arch = $"{{\"ks\": {Ks}, \"e\": {E}, \"d\": [2, 2, 3, 4, 3], \"r\": [192]}}";
        CliRunner.Run("predict", "--space", "ofa-mbv3-w1.2", "--lut", Path.Combine(_temp, "missing"), "--arch-json", arch).ExpectSingleError("LG0020");
    }

    [ReferenceDataFact]
    public void Truncated_yaml_table_is_one_LG0022_line()
    {
        var table = CopyTable("192_lookup_table.yaml");
        var text = File.ReadAllText(table);
        File.WriteAllText(table, text[..(text.IndexOf("\nexpanded_conv-input:", text.Length / 3, StringComparison.Ordinal) + 25)]);
        var line = CliRunner.Run("predict", "--space", "ofa-mbv3-w1.2", "--lut", Path.GetDirectoryName(table)!, "--arch-json", TutorialArch()).ExpectSingleError("LG0022");
        line.ShouldStartWith(table + "(");
    }

    [ReferenceDataFact]
    public void Table_missing_a_key_is_one_LG0023_line_naming_key_layer_and_file()
    {
        var table = CopyTable("192_lookup_table.yaml");
        const string key = "expanded_conv-input:12x12x136-output:12x12x136-expand:544-kernel:5-stride:1-idskip:1-se:1-hs:1";
        var lines = File.ReadAllLines(table).ToList();
        var at = lines.IndexOf(key + ":");
        at.ShouldBeGreaterThan(0);
        lines.RemoveRange(at, 4);
        File.WriteAllLines(table, lines);
        var line = CliRunner.Run("predict", "--space", "ofa-mbv3-w1.2", "--lut", Path.GetDirectoryName(table)!, "--arch-json", TutorialArch()).ExpectSingleError("LG0023");
        line.ShouldContain(key);
        line.ShouldContain("block slot 13");
        line.ShouldStartWith(table + ": ");
    }

    [Fact]
    public void Unknown_space_and_missing_source_are_coded()
    {
        var arch = $"{{\"ks\": {Ks}, \"e\": {E}, \"d\": [2, 2, 3, 4, 3], \"r\": [192]}}";
        CliRunner.Run("predict", "--space", "resnet", "--lut", _temp, "--arch-json", arch).ExpectSingleError("LG0005");
        CliRunner.Run("predict", "--space", "ofa-mbv3-w1.2", "--arch-json", arch).ExpectSingleError("LG0040");
        CliRunner.Run("predict", "--space", "ofa-mbv3-w1.2", "--lut", _temp).ExpectSingleError("LG0009");
        Directory.CreateDirectory(_temp);
        var file = Path.Combine(_temp, "model.bin");
        File.WriteAllBytes(file, [1, 2, 3]);
        CliRunner.Run("predict", "--space", "ofa-mbv3-w1.2", "--predictor", file, "--arch-json", arch).ExpectSingleError("LG0042");
    }

    [ReferenceDataFact]
    public void The_built_cli_runs_as_a_process()
    {
        var cliDll = Path.Combine(AppContext.BaseDirectory, "LatencyGate.Cli.dll");
        File.Exists(cliDll).ShouldBeTrue(cliDll);
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in new[] { cliDll, "predict", "--space", "ofa-mbv3-w1.2", "--lut", Note10, "--arch-json", TutorialArch(), "--json" })
        {
            start.ArgumentList.Add(a);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        process.WaitForExit(60_000).ShouldBeTrue("the CLI did not finish within 60 s");
        process.ExitCode.ShouldBe(0, stderr.Result);
        stdout.Result.ShouldStartWith("{\"latency_ms\":24.7301668534");

        var bad = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { cliDll, "predict", "--space", "ofa-mbv3-w1.2", "--lut", Path.Combine(_temp, "none"), "--arch-json", TutorialArch() })
        {
            bad.ArgumentList.Add(a);
        }

        using var failing = Process.Start(bad)!;
        var err = failing.StandardError.ReadToEndAsync();
        failing.WaitForExit(60_000).ShouldBeTrue();
        failing.ExitCode.ShouldBe(2);
        err.Result.ShouldContain("error LG0020");
        err.Result.ShouldNotContain("   at ");
    }

    private string CopyTable(string name)
    {
        var folder = Path.Combine(_temp, "lut");
        Directory.CreateDirectory(folder);
        var target = Path.Combine(folder, name);
        File.Copy(Path.Combine(Note10, name), target);
        File.SetAttributes(target, FileAttributes.Normal);
        return target;
    }
}
