using System.Diagnostics;
using System.Text.RegularExpressions;
using LatencyGate.Cli;
using Shouldly;
using Xunit;

namespace LatencyGate.Tests.Hostile;

/// <summary>Issue 18, "Wrong exit codes, silent wrong results" and "Valid input refused".</summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")] // FIFOs, signals and file modes are Unix
public sealed class HostileVerdictTests
{
    [Fact]
    public void Item09_a_cancelled_sweep_exits_130_with_LG0901()
    {
        using var fleet = new TempFolder("examples/fleet");
        var manifest = Hostile.LutManifest(fleet, extra: "search: {population: 100, generations: 500}");
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(500));
        var host = new HostContext(stdout, stderr, _ => null, interactive: false);
        var watch = Stopwatch.StartNew();
        var code = CliApp.Run(["search", "-m", manifest, "--sweep", "5:40:60", "--out", fleet.File("out")], host, cancel.Token);
        watch.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(30), "cancellation is prompt");
        code.ShouldBe(130, stderr.ToString());
        stderr.ToString().ShouldContain("error LG0901: cancelled");
        Directory.Exists(fleet.File("out")).ShouldBeFalse("nothing is written by a cancelled search");
    }

    [Theory]
    // Not SIGINT: a process started in the background of a non-interactive shell (as CI starts the
    // suite) inherits SIGINT ignored, and the runtime rightly leaves it so; Ctrl-C is covered in process.
    [InlineData("TERM")]
    [InlineData("HUP")] // a closed terminal or a dropped SSH session: it exited 129 and left the temporary file of a write in progress
    public async Task Item09_a_signal_ends_a_long_command_that_does_not_poll_with_130(string signal)
    {
        using var folder = new TempFolder();
        var csv = folder.File("m.csv");
        var random = new Randomness.SeededRandom(3);
        File.WriteAllLines(csv, ["id,d0,d1,d2,d3,d4,d5", .. Enumerable.Range(0, 300).Select(i => $"{i},{string.Join(",", Enumerable.Range(0, 6).Select(_ => (1 + random.NextDouble()).ToString("R", System.Globalization.CultureInfo.InvariantCulture)))}")]);
        var cli = Path.Combine(AppContext.BaseDirectory, "LatencyGate.Cli");
        using var process = Process.Start(new ProcessStartInfo(cli, ["monotonicity", "--data", csv, "--columns", "d0,d1,d2,d3,d4,d5", "--bootstrap", "100000"])
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        })!;
        var stderr = process.StandardError.ReadToEndAsync();
        _ = process.StandardOutput.ReadToEndAsync();
        Thread.Sleep(2500);
        process.HasExited.ShouldBeFalse("the bootstrap runs for longer than the test waits");
        using (var kill = Process.Start(new ProcessStartInfo("kill", ["-" + signal, process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]) { UseShellExecute = false })!)
        {
            kill.WaitForExit();
        }

        var ended = process.WaitForExit(TimeSpan.FromSeconds(20));
        if (!ended)
        {
            process.Kill();
        }

        ended.ShouldBeTrue($"SIG{signal} ends the command within its grace period");
        process.ExitCode.ShouldBe(130);
        (await stderr).ShouldContain("error LG0901: cancelled");
    }

    [Fact]
    public void Item10_a_negative_predicted_latency_never_passes()
    {
        using var fleet = new TempFolder("examples/fleet");
        var predictor = fleet.File("predictors/edge-gpu.safetensors");
        Hostile.SetTensor(predictor, "mlp.2.bias", -1e6f);
        Hostile.SetTensor(predictor, "additive.intercept", -1e6f);
        var manifest = fleet.File("negative.yaml");
        File.WriteAllText(manifest, $"""
            version: 1
            space: {Hostile.Space}
            model:
              arch: model/arch.json
            devices:
              - name: edge-gpu
                budget_ms: 4
                predictor:
                  file: predictors/edge-gpu.safetensors
            """);
        var result = Hostile.Run("check", "-m", manifest);
        Regex.IsMatch(result.Stdout, "^PASS", RegexOptions.Multiline).ShouldBeFalse(result.Stdout);
        result.ShouldFailWith("LG0043").ShouldStartWith(manifest + "(9,");
        Hostile.Run("predict", "--space", Hostile.Space, "--predictor", predictor, "--arch", fleet.File("model/arch.json")).ShouldFailWith("LG0043");
    }

    [Fact]
    public void Item10_a_lut_entry_with_a_negative_mean_is_LG0044()
    {
        using var fleet = new TempFolder("examples/fleet");
        var table = fleet.File("luts/phone-big/192_lookup_table.yaml");
        var text = File.ReadAllText(table);
        var first = Regex.Match(text, @"mean: ([0-9.eE+-]+)");
        File.WriteAllText(table, string.Concat(text.AsSpan(0, first.Groups[1].Index), "-5.0", text.AsSpan(first.Groups[1].Index + first.Groups[1].Length)));
        Hostile.Run("check", "-m", Hostile.LutManifest(fleet)).ShouldFailWith("LG0432").ShouldContain("LG0044");
        Hostile.Run("predict", "--space", Hostile.Space, "--lut", fleet.File("luts/phone-big"), "--arch", fleet.File("model/arch.json")).ShouldFailWith("LG0044");
    }

    [Fact]
    public void Item11_swapped_cache_entries_are_refused_and_rebuilt()
    {
        using var fleet = new TempFolder("examples/fleet");
        var manifest = fleet.File("latency-gate.yaml");
        var cold = Hostile.Run("check", "-m", manifest);
        cold.ExitCode.ShouldBe(0, cold.Stderr);
        var entries = Directory.GetFiles(fleet.File(".latency-gate/cache"), "*.lgc").Order(StringComparer.Ordinal).ToArray();
        entries.Length.ShouldBe(2);
        var (a, b) = (File.ReadAllBytes(entries[0]), File.ReadAllBytes(entries[1]));
        File.WriteAllBytes(entries[0], b);
        File.WriteAllBytes(entries[1], a);

        var swapped = Hostile.Run("check", "-m", manifest);
        swapped.ExitCode.ShouldBe(0, swapped.Stderr);
        Regex.Matches(swapped.Stderr, "warning LG0560: .*another key").Count.ShouldBe(2, swapped.Stderr);
        Lines(swapped.Stdout).ShouldBe(Lines(cold.Stdout), "the figures are those of a cold run");
    }

    [Fact]
    public void Item03_an_unreadable_cache_entry_is_LG0560_and_rebuilt()
    {
        using var fleet = new TempFolder("examples/fleet");
        var manifest = fleet.File("latency-gate.yaml");
        Hostile.Run("check", "-m", manifest).ExitCode.ShouldBe(0);
        var entries = Directory.GetFiles(fleet.File(".latency-gate/cache"), "*.lgc").Order(StringComparer.Ordinal).ToArray();
        File.SetUnixFileMode(entries[0], UnixFileMode.None);
        File.Delete(entries[1]);
        Directory.CreateDirectory(entries[1]);

        var result = Hostile.Run("check", "-m", manifest);
        result.ExitCode.ShouldBe(0, result.Stderr);
        result.Stderr.ShouldContain("warning LG0560");
        result.Stdout.ShouldContain("latency gate: pass");
    }

    [Fact]
    public void Item12_a_bom_and_quoted_line_breaks_are_valid_csv()
    {
        using var fleet = new TempFolder("examples/fleet");
        var data = File.ReadAllText(fleet.File("data/phone-mid.csv"));
        var bom = fleet.File("bom.csv");
        File.WriteAllBytes(bom, [0xEF, 0xBB, 0xBF, .. System.Text.Encoding.UTF8.GetBytes(data)]);
        var multiline = fleet.File("multiline.csv");
        File.WriteAllText(multiline, data.Replace(", \"\"e\"\"", ",\n \"\"e\"\"", StringComparison.Ordinal));
        File.ReadAllLines(multiline).Length.ShouldBeGreaterThan(File.ReadAllLines(fleet.File("data/phone-mid.csv")).Length);
        var predictor = fleet.File("predictors/edge-gpu.safetensors");
        var expected = Hostile.Run("evaluate", "--predictor", predictor, "--data", fleet.File("data/phone-mid.csv"), "--json").Stdout;
        foreach (var csv in new[] { bom, multiline })
        {
            var result = Hostile.Run("evaluate", "--predictor", predictor, "--data", csv, "--json");
            result.ExitCode.ShouldBe(0, result.Stderr);
            result.Stdout.ShouldBe(expected);
        }
    }

    private static string[] Lines(string stdout) =>
        stdout.Split('\n').Where(l => l.StartsWith("PASS", StringComparison.Ordinal) || l.StartsWith("WARN", StringComparison.Ordinal)).ToArray();
}
