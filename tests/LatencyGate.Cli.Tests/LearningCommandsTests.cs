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
            fit.Stderr.ShouldNotContain("LG0158");

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

    /// <summary>
    /// An mlp fitted on 20 rows holds out 3 archs; its held-out Spearman (−0.50 in a hostile tester's
    /// run) was printed without a word. Now fit warns (LG0158) and names what to do; the additive model
    /// on 60 rows of the same device evaluates soundly and gets no warning.
    /// </summary>
    [Fact]
    public void Fit_warns_when_its_own_evaluation_is_weak_and_says_what_to_do()
    {
        using var folder = new TempFolder();
        CliRunner.Run("simulate", "--device", "sim-phone-mid", "--space", "ofa-mbv3-w1.2", "--count", "20", "--seed", "3", "--out", folder.File("few.csv")).ExitCode.ShouldBe(0);
        CliRunner.Run("simulate", "--device", "sim-phone-mid", "--space", "ofa-mbv3-w1.2", "--count", "60", "--seed", "3", "--out", folder.File("more.csv")).ExitCode.ShouldBe(0);

        var mlp = CliRunner.Run("fit", "--space", "ofa-mbv3-w1.2", "--data", folder.File("few.csv"), "--model", "mlp", "--epochs", "5", "--out", folder.File("mlp.safetensors"));

        mlp.ExitCode.ShouldBe(0, mlp.Stderr);
        mlp.Stdout.ShouldContain("validation (3 archs held out)");
        var warning = mlp.Stderr.Split('\n').Where(l => l.Contains("warning LG0158", StringComparison.Ordinal)).ShouldHaveSingleItem();
        warning.ShouldStartWith(folder.File("few.csv") + ": warning LG0158: ");
        warning.ShouldContain("3 archs held out");
        warning.ShouldContain($"dotnet latency-gate fit --space ofa-mbv3-w1.2 --data {folder.File("few.csv")} --model additive --out {folder.File("mlp.safetensors")}");
        warning.ShouldContain("--base BASE --strategy auto");
        File.Exists(folder.File("mlp.safetensors")).ShouldBeTrue();

        var additive = CliRunner.Run("fit", "--space", "ofa-mbv3-w1.2", "--data", folder.File("more.csv"), "--out", folder.File("additive.safetensors"));

        additive.ExitCode.ShouldBe(0, additive.Stderr);
        additive.Stderr.ShouldNotContain("LG0158");
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
