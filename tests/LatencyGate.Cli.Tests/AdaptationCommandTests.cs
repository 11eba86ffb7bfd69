using Shouldly;

namespace LatencyGate.Tests;

/// <summary><c>fit --base --strategy --shots</c> end to end: the paper's Note10 checkpoint adapted to RTX 2080 Ti rows.</summary>
public sealed class AdaptationCommandTests
{
    [ReferenceDataFact]
    public void Fit_strategy_auto_says_what_it_chose_and_why_and_writes_a_predictor()
    {
        var dir = Directory.CreateTempSubdirectory("lg-adapt-");
        try
        {
            var csv = Path.Combine(dir.FullName, "rtx.csv");
            File.WriteAllLines(csv, File.ReadLines(ReferenceData.PathOf("ofanas-perfest", "flat", "ofa_mbv3_paired_3devices.csv")).Take(121));
            var model = Path.Combine(dir.FullName, "rtx.safetensors");
            var checkpoint = ReferenceData.PathOf("ofanas-perfest", "checkpoints", "checkpoint_note10_ofa.pt");
            var fit = CliRunner.Run("fit", "--space", "ofa-mbv3-w1.0", "--data", csv, "--latency-column", "lat_rtx2080ti_gpu_bs64_ms", "--base", checkpoint, "--strategy", "auto", "--shots", "10", "--out", model);
            fit.ExitCode.ShouldBe(0, fit.Stderr);
            fit.Stdout.ShouldContain("auto chose");
            fit.Stdout.ShouldContain("cross-validated MAE");
            fit.Stdout.ShouldContain("split-conformal on 110 held-out measurements");
            File.Exists(model).ShouldBeTrue();
            var evaluate = CliRunner.Run("evaluate", "--predictor", model, "--data", csv, "--latency-column", "lat_rtx2080ti_gpu_bs64_ms");
            evaluate.ExitCode.ShouldBe(0, evaluate.Stderr);

            var bad = CliRunner.Run("fit", "--space", "ofa-mbv3-w1.0", "--data", csv, "--latency-column", "lat_rtx2080ti_gpu_bs64_ms", "--base", checkpoint, "--strategy", "magic", "--out", model);
            bad.ExitCode.ShouldBe(2);
            bad.Stderr.ShouldContain("LG0200");
            var noBase = CliRunner.Run("fit", "--space", "ofa-mbv3-w1.0", "--data", csv, "--latency-column", "lat_rtx2080ti_gpu_bs64_ms", "--strategy", "auto", "--out", model);
            noBase.Stderr.ShouldContain("LG0208");
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }
}
