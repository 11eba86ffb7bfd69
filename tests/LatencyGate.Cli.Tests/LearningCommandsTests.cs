using System.Text.Json;
using Shouldly;
using Xunit;

namespace LatencyGate.Tests;

/// <summary>fit, evaluate, accuracy and predict --predictor end to end, on small slices of the reference data.</summary>
public sealed class LearningCommandsTests
{
    private const string GoldenArch = "{\"ks\": [5, 3, 3, 3, 5, 3, 3, 3, 7, 7, 3, 3, 5, 5, 7, 3, 3, 3, 5, 3], \"e\": [3, 3, 3, 3, 4, 4, 3, 3, 6, 3, 4, 3, 4, 4, 4, 3, 6, 6, 6, 3], \"d\": [2, 2, 3, 4, 3], \"image_size\": 192}";

    [ReferenceDataFact]
    public void Accuracy_of_the_tutorial_arch_from_acc_predictor_pth()
    {
        var result = CliRunner.Run("accuracy", "--space", "ofa-mbv3-w1.2", "--predictor", ReferenceData.PathOf("ofa-acc-predictor", "original", "acc_predictor.pth"), "--arch-json", GoldenArch, "--json");
        result.ExitCode.ShouldBe(0, result.Stderr);
        using var doc = JsonDocument.Parse(result.Stdout);
        doc.RootElement.GetProperty("accuracy").GetDouble().ShouldBe(0.81713, 1e-5);
    }

    [ReferenceDataFact]
    public void Predict_with_the_seed_papers_checkpoint()
    {
        var line = File.ReadLines(ReferenceData.PathOf("ofanas-perfest", "datasets", "RTX_2080_Ti_GPU", "RTX_2080_Ti_GPU_ofa.csv")).Skip(1).First();
        var arch = line[1..line.LastIndexOf('"')];
        var result = CliRunner.Run("predict", "--space", "ofa-mbv3-w1.0", "--predictor", ReferenceData.PathOf("ofanas-perfest", "checkpoints", "checkpoint_note10_ofa.pt"), "--arch-json", arch, "--json");
        result.ExitCode.ShouldBe(0, result.Stderr);
        using var doc = JsonDocument.Parse(result.Stdout);
        doc.RootElement.GetProperty("latency_ms").GetDouble().ShouldBe(40.0369, 1e-4);
    }

    [ReferenceDataFact]
    public void Fit_then_evaluate_a_small_predictor()
    {
        var dir = Directory.CreateTempSubdirectory("lg-fit-");
        try
        {
            var csv = Path.Combine(dir.FullName, "p40.csv");
            // 600 archs: the claims (a fit, its evaluation, same seed same bytes) do not depend on the size,
            // and at 1,200 the default fit's cross-validation costs four times as much.
            File.WriteAllLines(csv, File.ReadLines(ReferenceData.PathOf("ofanas-perfest", "datasets", "Tesla_P40_GPU", "Tesla_P40_GPU_ofa.csv")).Take(601));
            var model = Path.Combine(dir.FullName, "p40.safetensors");
            var fit = CliRunner.Run("fit", "--space", "ofa-mbv3-w1.0", "--data", csv, "--latency-column", "latency", "--out", model, "--seed", "4", "--epochs", "5", "--batch-size", "64", "--device", "Tesla P40");
            fit.ExitCode.ShouldBe(0, fit.Stderr);
            fit.Stdout.ShouldContain("600 distinct archs");

            var eval = CliRunner.Run("evaluate", "--predictor", model, "--data", csv, "--latency-column", "latency", "--json");
            eval.ExitCode.ShouldBe(0, eval.Stderr);
            using var doc = JsonDocument.Parse(eval.Stdout);
            doc.RootElement.GetProperty("n").GetInt32().ShouldBe(600);
            doc.RootElement.GetProperty("mae_ms").GetDouble().ShouldBeLessThan(1.0);
            doc.RootElement.GetProperty("spearman").GetDouble().ShouldBeGreaterThan(0.99);

            var again = Path.Combine(dir.FullName, "again.safetensors");
            CliRunner.Run("fit", "--space", "ofa-mbv3-w1.0", "--data", csv, "--latency-column", "latency", "--out", again, "--seed", "4", "--epochs", "5", "--batch-size", "64", "--device", "Tesla P40").ExitCode.ShouldBe(0);
            File.ReadAllBytes(again).SequenceEqual(File.ReadAllBytes(model)).ShouldBeTrue("same seed, same bytes");
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Fact]
    public void Fit_reports_every_bad_row_with_its_line()
    {
        var dir = Directory.CreateTempSubdirectory("lg-fit-");
        try
        {
            var csv = Path.Combine(dir.FullName, "bad.csv");
            File.WriteAllText(csv, "arch,latency_ms\n\"{'ks': [3]}\",1\n");
            var result = CliRunner.Run("fit", "--space", "ofa-mbv3-w1.0", "--data", csv, "--out", Path.Combine(dir.FullName, "x.safetensors"));
            result.ExitCode.ShouldBe(2);
            var lines = result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(l => !l.StartsWith("progress: ", StringComparison.Ordinal)).ToArray();
            lines.ShouldNotBeEmpty();
            var prefix = csv + "(2,1): error LG0150: ";
            lines.ShouldAllBe(l => l.StartsWith(prefix, StringComparison.Ordinal));
            result.Stderr.ShouldNotContain("   at ");
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }
}
