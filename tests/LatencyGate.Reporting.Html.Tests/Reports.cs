using Shouldly;

namespace LatencyGate.Tests;

/// <summary>
/// The two reports the issue names, made once per test run through the CLI: the fleet example's
/// gate report (check, HTML with the other formats) and the OFA quick start's sweep report (search --sweep
/// on the built-in Note10 tables and OFA's w1.2 accuracy predictor).
/// </summary>
internal static class Reports
{
    private static readonly Lazy<FleetRun> LazyFleet = new(RunFleet);
    private static readonly Lazy<string> LazySweep = new(RunSweep);
    private static readonly TempFolder Folder = new();

    public static FleetRun Fleet => LazyFleet.Value;

    /// <summary>The sweep's report.html.</summary>
    public static string SweepReport => LazySweep.Value;

    public sealed record FleetRun(string Html, byte[] FirstBytes, byte[] SecondBytes, string BenchmarkJson, string Stdout);

    private static FleetRun RunFleet()
    {
        var root = Folder.File("fleet");
        ExampleCopy.Copy(Path.Combine(ReferenceData.RepositoryRoot, "examples", "fleet"), root);
        var manifest = Path.Combine(root, "latency-gate.yaml");
        // Cold cache on one thread, then warm cache on two: the page must not tell them apart.
        var first = CliRunner.Run("check", "--manifest", manifest, "--report-dir", Folder.File("fleet-1"), "--format", "html,json", "--format", "github-benchmark", "--threads", "1");
        first.ExitCode.ShouldBe(0, first.Stderr);
        var second = CliRunner.Run("check", "--manifest", manifest, "--report-dir", Folder.File("fleet-2"), "--format", "html", "--threads", "2");
        second.ExitCode.ShouldBe(0, second.Stderr);
        var html = Folder.File("fleet-1/latency-gate.html");
        return new FleetRun(
            html,
            File.ReadAllBytes(html),
            File.ReadAllBytes(Folder.File("fleet-2/latency-gate.html")),
            File.ReadAllText(Folder.File("fleet-1/latency-gate.benchmark.json")),
            first.Stdout);
    }

    private static string RunSweep()
    {
        // The README's quick start (built-in Note10 tables and OFA's accuracy predictor), swept.
        var root = Folder.File("ofa");
        ExampleCopy.Copy(Path.Combine(ReferenceData.RepositoryRoot, "examples", "ofa-quickstart"), root);
        // 60 generations instead of OFA's 500 per budget keep the test at a few seconds; the page is the same kind.
        var manifest = Path.Combine(root, "latency-gate.yaml");
        var text = File.ReadAllText(manifest).Replace("  seed: 0\n", "  seed: 0\n  generations: 60\n", StringComparison.Ordinal);
        text.ShouldContain("generations: 60");
        File.WriteAllText(manifest, text);
        var run = CliRunner.Run("search", "--manifest", Path.Combine(root, "latency-gate.yaml"), "--out", Folder.File("ofa/out"), "--sweep", "15:40:6");
        run.ExitCode.ShouldBe(0, run.Stderr);
        return Folder.File("ofa/out/report.html");
    }
}
