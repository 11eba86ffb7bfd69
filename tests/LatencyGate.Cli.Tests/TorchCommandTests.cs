using System.Text.Json;
using Shouldly;
using Xunit;

namespace LatencyGate.Tests;

/// <summary>
/// doctor and fit --engine torch end to end: with libtorch (the NuGet package folder, restored by the
/// solution) and, in a child process whose package folder and home are empty, without it.
/// </summary>
public sealed class TorchCommandTests
{
    [Fact]
    public void Doctor_lists_both_engines_and_the_torch_runtime()
    {
        var result = CliRunner.Run("doctor");
        result.ExitCode.ShouldBe(0, result.Stderr);
        result.Stdout.ShouldContain("managed  available");
        result.Stdout.ShouldContain("torch    available: libtorch 2.10.0");
        result.Stdout.ShouldContain("measuring runtimes");
    }

    /// <summary>
    /// Every runtime `measure --runtime` accepts is listed, the default (ONNX Runtime, shipped with the
    /// tool) among them: the list once named torch alone, as if the tool could not measure otherwise.
    /// </summary>
    [Fact]
    public void Doctor_lists_every_measuring_runtime_with_onnxruntime_available()
    {
        var result = CliRunner.Run("doctor");

        result.ExitCode.ShouldBe(0, result.Stderr);
        var runtimes = result.Stdout[result.Stdout.IndexOf("measuring runtimes", StringComparison.Ordinal)..].Split('\n', StringSplitOptions.RemoveEmptyEntries)[1..];
        runtimes.Select(l => l.Trim().Split(' ')[0]).ShouldBe(LatencyGate.Cli.MeasuringRuntimes.Create().Names);
        runtimes.ShouldContain(l => l.StartsWith("  onnxruntime available: ONNX Runtime 1.", StringComparison.Ordinal));
        // No CUDA here: torch-cuda is listed with its code rather than left out.
        runtimes.ShouldContain(l => l.StartsWith("  torch-cuda  unavailable: LG0854: ", StringComparison.Ordinal) || l.StartsWith("  torch-cuda  available", StringComparison.Ordinal));
    }

    [ReferenceDataFact]
    public void Fit_with_the_torch_engine_writes_a_file_that_evaluate_reads()
    {
        var dir = Directory.CreateTempSubdirectory("lg-torch-fit-");
        try
        {
            var csv = P40Slice(dir.FullName);
            var model = Path.Combine(dir.FullName, "p40.safetensors");
            var fit = CliRunner.Run("fit", "--space", "ofa-mbv3-w1.0", "--data", csv, "--latency-column", "latency", "--out", model, "--seed", "4", "--epochs", "5", "--engine", "torch");
            fit.ExitCode.ShouldBe(0, fit.Stderr);
            fit.Stdout.ShouldContain("(engine torch)");

            var eval = CliRunner.Run("evaluate", "--predictor", model, "--data", csv, "--latency-column", "latency", "--json");
            eval.ExitCode.ShouldBe(0, eval.Stderr);
            using var doc = JsonDocument.Parse(eval.Stdout);
            doc.RootElement.GetProperty("mae_ms").GetDouble().ShouldBeLessThan(1.0);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    /// <summary>
    /// The manifest's <c>engine: torch</c>: the seed paper's RTX 2080 Ti predictor adapted (head, 20
    /// shots) to Tesla P40 measurements by libtorch, through check; the same gate with the managed
    /// engine predicts the same (head is a penalized least-squares solve in both).
    /// </summary>
    [ReferenceDataFact]
    public void A_manifest_finetune_with_engine_torch_adapts_with_libtorch_and_agrees_with_managed()
    {
        var dir = Directory.CreateTempSubdirectory("lg-torch-manifest-");
        try
        {
            var csv = Path.Combine(dir.FullName, "p40.csv");
            File.WriteAllLines(csv, File.ReadLines(ReferenceData.PathOf("ofanas-perfest", "datasets", "Tesla_P40_GPU", "Tesla_P40_GPU_ofa.csv")).Take(61));
            File.Copy(ReferenceData.PathOf("ofanas-perfest", "checkpoints", "checkpoint_RTX_2080_Ti_GPU_ofa.pt"), Path.Combine(dir.FullName, "rtx.pt"));
            File.WriteAllText(Path.Combine(dir.FullName, "arch.json"), "{\"ks\": [5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5], \"e\": [4,4,4,4,4,4,4,4,4,4,4,4,4,4,4,4,4,4,4,4], \"d\": [3,3,3,3,3], \"r\": [192]}");
            double Gate(string engine)
            {
                var manifest = Path.Combine(dir.FullName, engine + ".yaml");
                File.WriteAllText(manifest, string.Join('\n',
                    "version: 1",
                    "space: ofa-mbv3-w1.0",
                    "accuracy: macs",
                    "model: {arch: arch.json}",
                    "devices:",
                    "  - name: p40",
                    "    budget_ms: 1000",
                    "    predictor:",
                    $"      finetune: {{base: rtx.pt, measurements: p40.csv, latency_column: latency, strategy: head, shots: 20, engine: {engine}}}",
                    string.Empty));
                var report = Path.Combine(dir.FullName, "report-" + engine);
                var run = CliRunner.Run("check", "--manifest", manifest, "--report-dir", report, "--format", "json", "--cache-dir", Path.Combine(dir.FullName, "cache-" + engine));
                run.ExitCode.ShouldBe(0, run.Stdout + run.Stderr);
                using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(report, "latency-gate.json")));
                var device = json.RootElement.GetProperty("devices")[0];
                var notes = device.GetProperty("notes").EnumerateArray().Select(n => n.GetString()).ToArray();
                if (engine == "torch")
                {
                    notes.ShouldContain("training engine: torch");
                }
                else
                {
                    notes.ShouldNotContain("training engine: torch");
                }

                return device.GetProperty("latency_ms").GetDouble();
            }

            var torch = Gate("torch");
            var managed = Gate("managed");
            torch.ShouldBe(managed, managed * 1e-3);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Fact]
    public void Unknown_engine_is_LG0853()
    {
        CliRunner.Run("fit", "--space", "ofa-mbv3-w1.0", "--data", "x.csv", "--out", "x.safetensors", "--engine", "tensorflow").ExpectSingleError("LG0853");
    }

    [ReferenceDataFact]
    public void Without_libtorch_torch_engine_ends_with_LG0850_and_the_command_that_gets_it_while_other_commands_work()
    {
        var dir = Directory.CreateTempSubdirectory("lg-no-torch-");
        try
        {
            var csv = P40Slice(dir.FullName);
            var environment = new Dictionary<string, string>
            {
                ["NUGET_PACKAGES"] = Path.Combine(dir.FullName, "no-packages"),
                ["HOME"] = dir.FullName,
                ["XDG_CACHE_HOME"] = Path.Combine(dir.FullName, "cache"),
                ["LATENCYGATE_LIBTORCH"] = string.Empty,
            };
            ProcessResult Cli(params string[] args) => ChildProcess.Run("dotnet", dir.FullName, [typeof(Cli.CliApp).Assembly.Location, .. args], environment, TimeSpan.FromMinutes(2));

            var torch = Cli("fit", "--space", "ofa-mbv3-w1.0", "--data", csv, "--latency-column", "latency", "--out", Path.Combine(dir.FullName, "t.safetensors"), "--engine", "torch");
            torch.ExitCode.ShouldBe(2, torch.ToString());
            torch.Stderr.ShouldContain("error LG0850: ");
            // NUGET_PACKAGES is where the tool looks, so the command downloads there (it said ~/.nuget/packages,
            // which left a CI job with its own package cache still without libtorch).
            torch.Stderr.ShouldContain($"dotnet package download libtorch-cpu-linux-x64@2.10.0 --output {Path.Combine(dir.FullName, "no-packages")}");
            torch.Stderr.ShouldNotContain("   at ");
            environment["NUGET_PACKAGES"] = string.Empty;
            var defaultFolder = Cli("fit", "--space", "ofa-mbv3-w1.0", "--data", csv, "--latency-column", "latency", "--out", Path.Combine(dir.FullName, "t.safetensors"), "--engine", "torch");
            defaultFolder.ExitCode.ShouldBe(2, defaultFolder.ToString());
            defaultFolder.Stderr.ShouldContain("dotnet package download libtorch-cpu-linux-x64@2.10.0 --output ~/.nuget/packages");
            environment["NUGET_PACKAGES"] = Path.Combine(dir.FullName, "no-packages");

            var doctor = Cli("doctor");
            doctor.ExitCode.ShouldBe(0, doctor.ToString());
            doctor.Stdout.ShouldContain("torch    unavailable: LG0850");

            var managed = Cli("fit", "--space", "ofa-mbv3-w1.0", "--data", csv, "--latency-column", "latency", "--out", Path.Combine(dir.FullName, "m.safetensors"), "--epochs", "2");
            managed.ExitCode.ShouldBe(0, managed.ToString());
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    private static string P40Slice(string folder)
    {
        var csv = Path.Combine(folder, "p40.csv");
        // 600 archs: what these tests claim (an engine runs or is refused) does not depend on the size,
        // and at 1,200 the default fit's cross-validation costs four times as much.
        File.WriteAllLines(csv, File.ReadLines(ReferenceData.PathOf("ofanas-perfest", "datasets", "Tesla_P40_GPU", "Tesla_P40_GPU_ofa.csv")).Take(601));
        return csv;
    }
}
