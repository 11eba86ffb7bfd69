using System.Text.Json;
using LatencyGate.Adaptation;
using LatencyGate.Measurements;
using LatencyGate.Spaces;
using Shouldly;
using Xunit;

namespace LatencyGate.Tests;

/// <summary>
/// <c>check --cache-dir</c> end to end on a manifest built from simulated devices: a finetune device
/// (auto adaptation of a learned LUT) and a proxy device on it. Cold run builds, warm run loads, a
/// corrupt entry warns (LG0560) and gives the same verdicts and figures.
/// </summary>
public sealed class CheckCacheTests(CheckCacheTests.ColdRun fixture) : IClassFixture<CheckCacheTests.ColdRun>, IDisposable
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("lg-cache-");

    public void Dispose() => _dir.Delete(recursive: true);

    [Fact]
    public void Warm_run_loads_adaptations_and_a_corrupt_entry_warns_and_gives_the_same_result()
    {
        var manifest = fixture.Manifest;
        var cold = fixture.Cold;
        cold.Stderr.ShouldNotContain("LG0560");
        cold.Notes.ShouldAllBe(n => !n.Contains("cached:"));
        Directory.GetFiles(fixture.Cache, "*.lgc").Length.ShouldBe(2, "one entry for the finetune device, one for the proxy device");

        // This test's own copy of what the cold run wrote (the other test must see it untouched).
        var cache = Path.Combine(_dir.FullName, "cache");
        Directory.CreateDirectory(cache);
        foreach (var file in Directory.GetFiles(fixture.Cache))
        {
            File.Copy(file, Path.Combine(cache, Path.GetFileName(file)));
        }

        var entries = Directory.GetFiles(cache, "*.lgc").Order(StringComparer.Ordinal).ToArray();
        var reports = Path.Combine(_dir.FullName, "reports");
        var warm = Check(manifest, cache, reports);
        warm.Figures.ShouldBe(cold.Figures);
        warm.ExitCode.ShouldBe(cold.ExitCode);
        warm.Notes.Count(n => n.StartsWith("cached:", StringComparison.Ordinal)).ShouldBe(2);
        warm.Stderr.ShouldNotContain("LG0560");

        // A flipped byte in one entry, a truncated other one.
        var bytes = File.ReadAllBytes(entries[0]);
        bytes[bytes.Length / 2] ^= 0x5A;
        File.WriteAllBytes(entries[0], bytes);
        var other = File.ReadAllBytes(entries[1]);
        File.WriteAllBytes(entries[1], other[..(other.Length / 3)]);

        var corrupt = Check(manifest, cache, reports);
        corrupt.Stderr.Split('\n').Count(l => l.Contains("warning LG0560", StringComparison.Ordinal)).ShouldBe(2, corrupt.Stderr);
        corrupt.Figures.ShouldBe(cold.Figures);
        corrupt.ExitCode.ShouldBe(cold.ExitCode);
        corrupt.Stdout.ShouldNotContain("   at ");

        // Rebuilt entries are whole again: the next run hits without a warning.
        var healed = Check(manifest, cache, reports);
        healed.Stderr.ShouldNotContain("LG0560");
        healed.Notes.Count(n => n.StartsWith("cached:", StringComparison.Ordinal)).ShouldBe(2);
        healed.Figures.ShouldBe(cold.Figures);
    }

    [Fact]
    public void Two_runs_sharing_an_empty_cache_at_once_both_stay_correct()
    {
        var manifest = fixture.Manifest;
        var reference = fixture.Cold;
        var shared = Path.Combine(_dir.FullName, "shared-cache");
        var runs = new[] { "a", "b" }.AsParallel().WithDegreeOfParallelism(2)
            .Select(name => Check(manifest, shared, Path.Combine(_dir.FullName, "reports-" + name))).ToArray();
        foreach (var run in runs)
        {
            run.ExitCode.ShouldBe(reference.ExitCode, run.Stderr);
            run.Figures.ShouldBe(reference.Figures);
            run.Stderr.ShouldNotContain("LG056");
        }

        var after = Check(manifest, shared, Path.Combine(_dir.FullName, "reports-after"));
        after.Stderr.ShouldNotContain("LG0560");
        after.Figures.ShouldBe(reference.Figures);
        Directory.GetFiles(shared).ShouldAllBe(f => f.EndsWith(".lgc", StringComparison.Ordinal), "no temp file is left behind");
    }

    /// <summary>
    /// The simulated inputs, the manifest and one cold run into a cache of its own, made once for both
    /// tests: the cold run is the reference each compares with (it was computed twice before).
    /// </summary>
    public sealed class ColdRun : IDisposable
    {
        private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("lg-cache-cold-");

        public ColdRun()
        {
            Manifest = WriteManifest(_dir.FullName);
            Cache = Path.Combine(_dir.FullName, "cold-cache");
            Cold = Check(Manifest, Cache, Path.Combine(_dir.FullName, "cold-reports"));
        }

        public string Manifest { get; }

        public string Cache { get; }

        internal CheckRun Cold { get; }

        public void Dispose() => _dir.Delete(recursive: true);
    }

    private static string WriteManifest(string folder)
    {
        string P(string name) => Path.Combine(folder, name);
        foreach (var (device, count, seed, file) in new[] { ("sim-phone-big-core", 150, 1, "base.csv"), ("sim-phone-mid", 50, 2, "phone.csv"), ("sim-edge-gpu", 30, 3, "gpu.csv") })
        {
            var sim = CliRunner.Run("simulate", "--device", device, "--space", "ofa-mbv3-w1.2", "--count", count.ToString(System.Globalization.CultureInfo.InvariantCulture), "--seed", seed.ToString(System.Globalization.CultureInfo.InvariantCulture), "--out", P(file));
            sim.ExitCode.ShouldBe(0, sim.Stderr);
        }

        // The base: a lookup table learned from the simulated big-core phone (exported as OFA tables).
        var measured = MeasurementsCsv.Read(P("base.csv"), OfaSpace.W12);
        LearnedLut.Fit(OfaSpace.W12, measured.Items.Select(m => new LatencyShot(m.Arch, m.LatencyMs)).ToArray(), "sim-phone-big-core").Export(P("base-lut"));
        File.WriteAllText(P("model.arch.json"), """{"ks": [5, 3, 3, 3, 5, 3, 3, 3, 7, 7, 3, 3, 5, 5, 7, 3, 3, 3, 5, 3], "e": [3, 3, 3, 3, 4, 4, 3, 3, 6, 3, 4, 3, 4, 4, 4, 3, 6, 6, 6, 3], "d": [2, 2, 3, 4, 3], "image_size": 192}""");
        File.WriteAllText(P("latency-gate.yaml"), """
            version: 1
            space: ofa-mbv3-w1.2
            model:
              arch: model.arch.json
            devices:
              - name: phone
                budget_ms: 26
                confidence: 0.9
                predictor:
                  finetune: {base: base-lut, measurements: phone.csv, strategy: auto, shots: 25}
              - name: gpu
                budget_ms: 400
                confidence: 0.9
                predictor:
                  proxy: {device: phone, measurements: gpu.csv}
            """);
        return P("latency-gate.yaml");
    }

    private static CheckRun Check(string manifest, string cache, string reports)
    {
        var (code, stdout, stderr) = CliRunner.Run("check", "--manifest", manifest, "--cache-dir", cache, "--report-dir", reports);
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(reports, "latency-gate.json")));
        var figures = new List<string>();
        var notes = new List<string>();
        foreach (var device in json.RootElement.GetProperty("devices").EnumerateArray())
        {
            figures.Add(string.Join(
                " ",
                device.GetProperty("name").GetString(),
                device.GetProperty("verdict").GetString(),
                device.GetProperty("latency_ms").GetRawText(),
                device.GetProperty("lower_ms").GetRawText(),
                device.GetProperty("upper_ms").GetRawText(),
                device.GetProperty("predictor").GetString()));
            notes.AddRange(device.GetProperty("notes").EnumerateArray().Select(n => n.GetString()!));
        }

        // The console verdict lines too (they carry no timing).
        figures.AddRange(stdout.Split('\n').Where(l => l.StartsWith("PASS", StringComparison.Ordinal) || l.StartsWith("WARN", StringComparison.Ordinal) || l.StartsWith("FAIL", StringComparison.Ordinal)));
        return new CheckRun(code, stdout, stderr, figures, notes);
    }

    internal sealed record CheckRun(int ExitCode, string Stdout, string Stderr, List<string> Figures, List<string> Notes);
}
