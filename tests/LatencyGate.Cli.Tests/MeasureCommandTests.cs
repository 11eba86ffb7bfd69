using System.Diagnostics;
using LatencyGate.Cli;
using LatencyGate.Measurements;
using LatencyGate.Spaces;
using Shouldly;
using Xunit;

namespace LatencyGate.Tests;

public sealed class MeasureCommandTests
{
    private const string Space = "ofa-mbv3-w1.0";

    [Fact]
    public void Export_writes_one_onnx_file_atomically_and_reports_macs_and_params()
    {
        using var dir = new TempFolder();
        var arch = ArchJson.Write(Small(128, 3));
        var path = Path.Combine(dir.Path, "net.onnx");
        var result = CliRunner.Run("export", "--space", Space, "--arch-json", arch, "--out", path, "--seed", "4");
        result.ExitCode.ShouldBe(0, result.Stderr);
        var network = Networks.OfaNetwork.Build(Small(128, 3), OfaSpace.W10);
        result.Stdout.ShouldContain($"{network.Macs / 1e6:F1}M MACs");
        var model = Onnx.ModelProto.Parser.ParseFrom(File.ReadAllBytes(path));
        model.MetadataProps.Single(p => p.Key == "latency_gate.macs").Value.ShouldBe(network.Macs.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Directory.GetFiles(dir.Path).ShouldBe([path]);
        CliRunner.Run("export", "--space", Space, "--arch-json", arch, "--out", Path.Combine(dir.Path, "again.onnx"), "--seed", "4");
        File.ReadAllBytes(Path.Combine(dir.Path, "again.onnx")).ShouldBe(File.ReadAllBytes(path));
    }

    [Fact]
    public void Export_mistakes_get_codes_and_leave_nothing_behind()
    {
        using var dir = new TempFolder();
        var outside = "{\"ks\": [3,3,3,3,3,3,3,3,3,3,3,3,3,3,3,3,3,3,3,3], \"e\": [3,3,3,3,3,3,3,3,3,3,3,3,3,3,3,3,3,3,3,3], \"d\": [2,2,2,2,2], \"r\": [300]}";
        CliRunner.Run("export", "--space", Space, "--arch-json", outside, "--out", Path.Combine(dir.Path, "a.onnx")).ExpectSingleError("LG0001");
        CliRunner.Run("export", "--space", Space, "--out", Path.Combine(dir.Path, "a.onnx")).ExpectSingleError("LG0803");
        var blocker = Path.Combine(dir.Path, "file");
        File.WriteAllText(blocker, "x");
        CliRunner.Run("export", "--space", Space, "--arch-json", ArchJson.Write(Small(128, 3)), "--out", Path.Combine(blocker, "a.onnx")).ExpectSingleError("LG0802");
        Directory.GetFiles(dir.Path).ShouldBe([blocker]);
    }

    [Fact]
    public void Measure_mistakes_get_codes_and_leave_no_file()
    {
        using var dir = new TempFolder();
        var archs = WriteArchs(dir.Path, 2);
        var output = Path.Combine(dir.Path, "m.csv");
        CliRunner.Run("measure", "--space", Space, "--archs", archs, "--out", output, "--runtime", "tensorrt").ExpectSingleError("LG0800");
        CliRunner.Run("measure", "--space", Space, "--archs", archs, "--out", output, "--runs", "1").ExpectSingleError("LG0803");
        CliRunner.Run("measure", "--space", Space, "--archs", archs, "--out", output, "--anchor", "neighbour").ExpectSingleError("LG0803");
        CliRunner.Run("measure", "--space", Space, "--archs", archs, "--out", Path.Combine(dir.Path, "no", "m.csv")).ExpectSingleError("LG0802");
        var bad = Path.Combine(dir.Path, "bad.jsonl");
        File.WriteAllText(bad, File.ReadAllText(archs) + "r999-d22222-k33|33|33|33|33-e33|33|33|33|33\n");
        var error = CliRunner.Run("measure", "--space", Space, "--archs", bad, "--out", output).ExpectSingleError("LG0001");
        error.ShouldContain("bad.jsonl(3,1)");
        File.Exists(output).ShouldBeFalse();
        File.Exists(Path.Combine(dir.Path, "m.passes.csv")).ShouldBeFalse();
    }

    /// <summary>The issue's must-show: 20 archs, a SIGKILL mid-run, a rerun, every arch exactly once and fit-ready.</summary>
    [Fact]
    public void Measure_killed_with_sigkill_and_rerun_ends_with_every_arch_exactly_once()
    {
        using var dir = new TempFolder();
        var archs = WriteArchs(dir.Path, 20);
        var output = Path.Combine(dir.Path, "m.csv");
        string[] args = ["measure", "--space", Space, "--archs", archs, "--out", output, "--warmup", "1", "--runs", "3", "--passes", "1", "--max-retries", "0"];
        using (var child = StartCli(args))
        {
            var deadline = Stopwatch.StartNew();
            while (DataRows(output) < 3 && !child.HasExited && deadline.Elapsed < TimeSpan.FromMinutes(3))
            {
                Thread.Sleep(50);
            }

            child.HasExited.ShouldBeFalse("the run should still be measuring when it is killed");
            child.Kill(); // SIGKILL on Unix: no chance to clean up
            child.WaitForExit();
        }

        var before = DataRows(output);
        before.ShouldBeInRange(3, 19);
        var result = CliRunner.Run(args);
        result.ExitCode.ShouldBe(0, result.Stderr);
        result.Stdout.ShouldContain($"20 archs in {output} ({before} already there");
        var set = MeasurementsCsv.Read(output, OfaSpace.W10);
        set.RowCount.ShouldBe(20);
        set.Items.Count.ShouldBe(20);
        set.Items.Select(m => m.Arch).ToHashSet().SetEquals(Measuring.ArchListReader.Read(archs, OfaSpace.W10)).ShouldBeTrue();
        set.Items.ShouldAllBe(m => m.LatencyMs > 0);
    }

    /// <summary>A measured device with ONNX Runtime through <c>check</c>: far above passes, far below fails (exit 1).</summary>
    [Theory]
    [InlineData(10000, 0)]
    [InlineData(0.01, 1)]
    public void Check_measures_a_measured_device_with_onnx_runtime(double budget, int exit)
    {
        using var dir = new TempFolder();
        MeasuredManifest.Write(dir.Path, budget, "{runtime: onnxruntime, warmup: 1, runs: 3, passes: 1}");
        var result = CliRunner.Run("check", "--manifest", dir.File("latency-gate.yaml"), "--report-dir", dir.File("report"), "--format", "json");
        result.ExitCode.ShouldBe(exit, result.Stdout + result.Stderr);
        var report = File.ReadAllText(dir.File("report/latency-gate.json"));
        report.ShouldContain("\"measured\"");
        report.ShouldContain("\"runtime\": \"onnxruntime\"");
        if (exit == 1)
        {
            result.Stderr.ShouldContain("LG0500");
        }
    }

    /// <summary>
    /// The machine behind a measurements CSV (CPU, cores, OS, runtime and version, threads, batch)
    /// goes into the predictor fitted from it, and predict shows it.
    /// </summary>
    [Fact]
    public void Fit_from_measure_output_carries_the_machine_identity_into_the_predictor_file()
    {
        using var dir = new TempFolder();
        var archs = WriteArchs(dir.Path, 10);
        var output = Path.Combine(dir.Path, "m.csv");
        CliRunner.Run("measure", "--space", Space, "--archs", archs, "--out", output, "--warmup", "1", "--runs", "3", "--passes", "1", "--max-retries", "0").ExitCode.ShouldBe(0);
        var set = MeasurementsCsv.Read(output, OfaSpace.W10);
        set.Machines.Count.ShouldBe(1);
        var machine = Measurements.MachineColumns.Names.Zip(set.Machines[0]).ToDictionary(p => p.First, p => p.Second);
        machine["runtime"].ShouldBe("onnxruntime");
        machine["threads"].ShouldBe("1");
        machine["logical_cores"].ShouldBe(Environment.ProcessorCount.ToString(System.Globalization.CultureInfo.InvariantCulture));

        var predictor = Path.Combine(dir.Path, "p.safetensors");
        var fit = CliRunner.Run("fit", "--space", Space, "--data", output, "--out", predictor, "--json");
        fit.ExitCode.ShouldBe(0, fit.Stderr);
        using (var summary = System.Text.Json.JsonDocument.Parse(fit.Stdout))
        {
            summary.RootElement.GetProperty("measured_on")[0].GetProperty("cpu_model").GetString().ShouldBe(machine["cpu_model"]);
        }

        var file = Learning.WeightFiles.WeightFileReader.Read(predictor);
        file.Metadata["batch_size"].ShouldBe("1");
        var predict = CliRunner.Run("predict", "--space", Space, "--predictor", predictor, "--arch-json", ArchJson.Write(Small(128, 3)), "--json");
        predict.ExitCode.ShouldBe(0, predict.Stderr);
        using var json = System.Text.Json.JsonDocument.Parse(predict.Stdout);
        var on = json.RootElement.GetProperty("measured_on")[0];
        foreach (var column in new[] { "cpu_model", "os", "runtime", "runtime_version" })
        {
            on.GetProperty(column).GetString().ShouldBe(machine[column], column);
        }

        foreach (var column in new[] { "logical_cores", "threads", "batch_size" })
        {
            on.GetProperty(column).GetInt32().ToString(System.Globalization.CultureInfo.InvariantCulture).ShouldBe(machine[column], column);
        }

        CliRunner.Run("predict", "--space", Space, "--predictor", predictor, "--arch-json", ArchJson.Write(Small(128, 3))).Stdout
            .ShouldContain($"trained on measurements from: {machine["cpu_model"]}, {machine["logical_cores"]} logical cores");
    }

    /// <summary>
    /// Search mode on a measured device: the pick is predicted (Note10 tables), then measured; the JSON
    /// and the HTML report show the prediction and the measurement (with its interval) side by side.
    /// </summary>
    [Fact]
    public void Check_in_search_mode_reports_predicted_and_measured_side_by_side_in_json_and_html()
    {
        using var dir = new TempFolder();
        File.WriteAllText(dir.File("latency-gate.yaml"), string.Join('\n',
            "version: 1",
            "space: ofa-mbv3-w1.2",
            "accuracy: macs",
            "search: {resolutions: [160], population: 16, generations: 3}",
            "devices:",
            "  - name: this-machine",
            "    budget_ms: 10000",
            "    predictor:",
            "      measure:",
            "        runtime: onnxruntime",
            "        warmup: 1",
            "        runs: 3",
            "        passes: 1",
            "        predictor: {lut: builtin:note10}",
            string.Empty));
        var result = CliRunner.Run("check", "--manifest", dir.File("latency-gate.yaml"), "--report-dir", dir.File("report"), "--format", "json,html");
        result.ExitCode.ShouldBe(0, result.Stdout + result.Stderr);
        using var json = System.Text.Json.JsonDocument.Parse(File.ReadAllText(dir.File("report/latency-gate.json")));
        var measured = json.RootElement.GetProperty("devices")[0].GetProperty("measured");
        var predictedMs = measured.GetProperty("predicted_ms").GetDouble();
        var measuredMs = measured.GetProperty("latency_ms").GetDouble();
        var lower = measured.GetProperty("lower_ms").GetDouble();
        var upper = measured.GetProperty("upper_ms").GetDouble();
        measured.GetProperty("predicted_by").GetString().ShouldNotBeNullOrEmpty();
        // Every field is named in docs/reports.md's `measured` row, and a LUT's prediction has no interval: null, not omitted.
        var documented = File.ReadAllLines(Path.Combine(ReferenceData.RepositoryRoot, "docs", "reports.md")).Single(l => l.StartsWith("| `measured` |", StringComparison.Ordinal));
        measured.EnumerateObject().Select(p => p.Name).ShouldAllBe(name => documented.Contains("`" + name + "`", StringComparison.Ordinal));
        measured.GetProperty("predicted_upper_ms").ValueKind.ShouldBe(System.Text.Json.JsonValueKind.Null);
        predictedMs.ShouldBeGreaterThan(0);
        lower.ShouldBeLessThanOrEqualTo(measuredMs);
        upper.ShouldBeGreaterThanOrEqualTo(measuredMs);

        var html = File.ReadAllText(dir.File("report/latency-gate.html"));
        var row = System.Text.RegularExpressions.Regex.Match(html, "<tr><th scope=\"row\">this-machine</th>(.*?)</tr>").Groups[1].Value;
        var cells = System.Text.RegularExpressions.Regex.Matches(row, "<td[^>]*>(.*?)</td>").Select(m => m.Groups[1].Value).ToArray();
        // verdict, budget, predicted, interval, gated, measured (interval), accuracy
        cells.Length.ShouldBe(7, row);
        Number(cells[2]).ShouldBe(predictedMs, 0.006, "the predicted column holds the search's prediction, not the measurement");
        var measuredCell = System.Text.RegularExpressions.Regex.Match(cells[5], @"^([\d.]+) \(([\d.]+)–([\d.]+)\)$");
        measuredCell.Success.ShouldBeTrue(cells[5]);
        Number(measuredCell.Groups[1].Value).ShouldBe(measuredMs, 0.006);
        Number(measuredCell.Groups[2].Value).ShouldBe(lower, 0.006);
        Number(measuredCell.Groups[3].Value).ShouldBe(upper, 0.006);
        // The device figure draws both bars (its text rounds to 0.01 ms).
        Number(System.Text.RegularExpressions.Regex.Match(html, @"predicted (\d+\.\d\d) ms, interval").Groups[1].Value).ShouldBe(predictedMs, 0.006);
        Number(System.Text.RegularExpressions.Regex.Match(html, @"measured (\d+\.\d\d) ms, interval").Groups[1].Value).ShouldBe(measuredMs, 0.006);

        static double Number(string text) => double.Parse(text, System.Globalization.CultureInfo.InvariantCulture);
    }

    private static Arch Small(int r, int k) =>
        Arch.Create(Enumerable.Repeat(k, 20).ToArray(), Enumerable.Repeat(3, 20).ToArray(), [2, 2, 2, 2, 2], r);

    private static string WriteArchs(string folder, int count)
    {
        var path = Path.Combine(folder, "archs.jsonl");
        var sample = CliRunner.Run("sample", "--space", Space, "--count", count.ToString(System.Globalization.CultureInfo.InvariantCulture), "--seed", "3", "--resolutions", "128");
        File.WriteAllText(path, sample.Stdout);
        return path;
    }

    private static int DataRows(string path)
    {
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            using var reader = new StreamReader(stream);
            return Math.Max(0, reader.ReadToEnd().Count(c => c == '\n') - 1);
        }
        catch (IOException)
        {
            return 0;
        }
    }

    private static Process StartCli(string[] args)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(typeof(CliApp).Assembly.Location);
        foreach (var a in args)
        {
            info.ArgumentList.Add(a);
        }

        var p = Process.Start(info)!;
        p.OutputDataReceived += (_, _) => { };
        p.ErrorDataReceived += (_, _) => { };
        p.BeginOutputReadLine();
        p.BeginErrorReadLine();
        return p;
    }
}
