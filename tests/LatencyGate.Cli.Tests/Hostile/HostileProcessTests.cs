using System.Diagnostics;
using Shouldly;
using Xunit;

namespace LatencyGate.Tests.Hostile;

/// <summary>
/// Issue 18, round 5: what only a real process meets — its standard streams redirected to a full
/// device or closed, and arguments that System.CommandLine would have read as response files.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")] // /dev/full, closed descriptors
public sealed class HostileProcessTests
{
    private static readonly string CliDll = Path.Combine(AppContext.BaseDirectory, "LatencyGate.Cli.dll");

    /// <summary>Runs the built CLI through sh so that <paramref name="redirect"/> (e.g. <c>&gt;/dev/full</c>) applies to it.</summary>
    private static (int ExitCode, string Stdout, string Stderr) Sh(string redirect, string workingDirectory, params string[] args) =>
        Launch(string.Empty, redirect, workingDirectory, args);

    /// <summary>
    /// With a file size limit of <paramref name="blocks"/> 512-byte blocks (and SIGXFSZ ignored), a write past it
    /// fails with EFBIG as on a file system that is full or cannot hold the file: no root, no mount needed.
    /// </summary>
    private static (int ExitCode, string Stdout, string Stderr) Limited(int blocks, string workingDirectory, params string[] args) =>
        Launch($"trap '' XFSZ; ulimit -f {blocks}; export DOTNET_EnableWriteXorExecute=0; ", string.Empty, workingDirectory, args);

    private static (int ExitCode, string Stdout, string Stderr) Launch(string prelude, string redirect, string workingDirectory, params string[] args)
    {
        var start = new ProcessStartInfo("sh") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = workingDirectory };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add($"{prelude}exec dotnet \"$@\" {redirect}");
        start.ArgumentList.Add("sh");
        start.ArgumentList.Add(CliDll);
        foreach (var a in args)
        {
            start.ArgumentList.Add(a);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit((int)Hostile.Bound.TotalMilliseconds))
        {
            process.Kill(entireProcessTree: true);
            throw new Xunit.Sdk.XunitException($"{string.Join(' ', args)} {redirect}: no end within {Hostile.Bound}");
        }

        var result = (process.ExitCode, stdout.Result, stderr.Result);
        Hostile.ShouldBeClean(result, $"{string.Join(' ', args)} {redirect}");
        return result;
    }

    [Theory]
    [InlineData("profiles")]
    [InlineData("predict")]
    [InlineData("evaluate")]
    public void Stdout_on_a_full_device_is_LG0860_with_exit_2(string command)
    {
        using var fleet = new TempFolder("examples/fleet");
        string[] args = command switch
        {
            "predict" => ["predict", "--space", Hostile.Space, "--lut", fleet.File("luts/phone-big"), "--arch", fleet.File("model/arch.json"), "--json"],
            "evaluate" => ["evaluate", "--predictor", fleet.File("predictors/edge-gpu.safetensors"), "--data", fleet.File("data/phone-mid.csv")],
            _ => [command],
        };
        var full = Sh(">/dev/full", fleet.Path, args);
        full.ExitCode.ShouldBe(2, full.Stderr);
        full.Stderr.ShouldContain("error LG0860: cannot write to standard output: No space left on device");

        var closed = Sh(">&-", fleet.Path, args);
        closed.ExitCode.ShouldBe(2, closed.Stderr);
        closed.Stderr.ShouldContain("error LG0860");
    }

    [Fact]
    public void A_full_or_closed_stderr_leaves_the_exit_code_to_speak()
    {
        using var fleet = new TempFolder("examples/fleet");
        // A usage error and an unknown command write only to stderr: they used to abort (134).
        Sh("2>/dev/full", fleet.Path, "nope").ExitCode.ShouldBe(2);
        Sh("2>&-", fleet.Path, "fit", "--nope").ExitCode.ShouldBe(2);
        // fit prints its progress on stderr; the weights are still written whole.
        var fit = Sh("2>&-", fleet.Path, "fit", "--space", Hostile.Space, "--data", "data/phone-mid.csv", "--out", "o.safetensors");
        fit.ExitCode.ShouldBe(0);
        File.ReadAllBytes(fleet.File("o.safetensors"))[8].ShouldBe((byte)'{');
    }

    [Fact]
    public void An_at_sign_is_no_response_file_and_a_path_starting_with_it_is_a_path()
    {
        using var fleet = new TempFolder("examples/fleet");
        // A response file naming itself overflowed the stack; /dev/zero read without end.
        File.WriteAllText(fleet.File("self.rsp"), "@self.rsp\n");
        Sh("", fleet.Path, "profiles", "@self.rsp").Stderr.ShouldContain("error LG0900: Unrecognized command or argument '@self.rsp'");
        Sh("", fleet.Path, "profiles", "@/dev/zero").ExitCode.ShouldBe(2);

        File.Copy(fleet.File("data/phone-mid.csv"), fleet.File("@phone-mid.csv"));
        var evaluate = Sh("", fleet.Path, "evaluate", "--predictor", "predictors/edge-gpu.safetensors", "--data", "@phone-mid.csv");
        evaluate.ExitCode.ShouldBe(0, evaluate.Stderr);
        evaluate.Stdout.ShouldContain("Spearman");
    }

    [Fact]
    public void A_disk_that_fills_up_mid_measure_leaves_whole_rows_and_the_rerun_resumes()
    {
        using var folder = new TempFolder();
        var archs = Hostile.Run("sample", "--space", Hostile.Space, "--count", "4", "--seed", "5");
        File.WriteAllText(folder.File("archs.jsonl"), archs.Stdout);
        string[] measure = ["measure", "--space", Hostile.Space, "--archs", "archs.jsonl", "--out", "m.csv", "--runs", "3", "--passes", "1", "--warmup", "0", "--anchor", "none"];

        // 1 KB: the journal fills up within the second row (it tore that row, and an early limit left an empty m.csv).
        var full = Limited(2, folder.Path, measure);
        full.ExitCode.ShouldBe(2, full.Stderr);
        full.Stderr.ShouldContain("error LG0802: cannot write measurements");
        foreach (var file in new[] { "m.csv", "m.passes.csv" }.Select(folder.File).Where(File.Exists))
        {
            File.ReadAllText(file).ShouldEndWith("\n", customMessage: $"{file} ends in a torn row");
        }

        var resumed = Sh(string.Empty, folder.Path, measure);
        resumed.ExitCode.ShouldBe(0, resumed.Stderr);
        File.ReadAllLines(folder.File("m.csv")).Length.ShouldBe(5);
    }

    [Fact]
    public void A_report_set_that_cannot_be_written_whole_replaces_none_of_the_last_runs_reports()
    {
        using var fleet = new TempFolder("examples/fleet");
        string[] check = ["check", "-m", "latency-gate.yaml", "--device", "phone-big", "--report-dir", "rep", "--format", "markdown,junit,json"];
        Sh(string.Empty, fleet.Path, check).ExitCode.ShouldBe(0);
        var before = Directory.GetFiles(fleet.File("rep")).ToDictionary(f => f, File.ReadAllBytes);

        // 3 KB fits the Markdown and JUnit reports, not the JSON one: the run must not leave this run's
        // Markdown beside the last run's JSON.
        var over = check.Select(a => a == "latency-gate.yaml" ? "latency-gate.over-budget.yaml" : a).ToArray();
        var limited = Limited(6, fleet.Path, over);
        limited.ExitCode.ShouldBe(2, limited.Stderr);
        limited.Stderr.ShouldContain("error LG0505: cannot write report");
        foreach (var (file, bytes) in before)
        {
            File.ReadAllBytes(file).ShouldBe(bytes, file);
        }

        Directory.GetFiles(fleet.File("rep")).Where(f => !f.EndsWith(".sarif", StringComparison.Ordinal)).Order().ShouldBe(before.Keys.Order());
    }

    [Fact]
    public void Init_on_a_disk_that_fills_up_leaves_no_starter_half_made()
    {
        using var folder = new TempFolder();
        // 3 KB holds the starter manifest, not its 11 KB schema: before, the manifest, its folder and
        // the table folder stayed behind, and the rerun said the manifest exists (LG0419 without --force).
        var limited = Limited(6, folder.Path, "init", "--path", "starter/latency-gate.yaml");
        limited.ExitCode.ShouldBe(2, limited.Stderr);
        limited.Stderr.ShouldContain("error LG0045: cannot write the starter file");
        Directory.Exists(folder.File("starter")).ShouldBeFalse();

        var again = Launch(string.Empty, string.Empty, folder.Path, "init", "--path", "starter/latency-gate.yaml");
        again.ExitCode.ShouldBe(0, again.Stderr);
        File.Exists(folder.File("starter/latency-gate.yaml")).ShouldBeTrue();
    }
}
