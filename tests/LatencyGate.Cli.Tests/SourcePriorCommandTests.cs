using System.Globalization;
using System.Text.Json;
using LatencyGate.Adaptation;
using LatencyGate.Measurements;
using LatencyGate.Monotonicity;
using LatencyGate.Spaces;
using Shouldly;
using Xunit;

namespace LatencyGate.Tests;

/// <summary>
/// The multi-source transfer path as a user runs it: <c>fit --data SOURCES.csv --columns …</c> writes a
/// source-prior base, <c>fit --base PRIOR --strategy auto</c> adapts it with the nasflat-fbnet method,
/// <c>predict</c> reads the adapted file back, <c>sample --base</c> chooses what to measure. Small scale: three
/// batch-1 GPUs of HELP's OFA data on 300 archs as sources, Titan RTX at batch 64 as the new device.
/// </summary>
public sealed class SourcePriorCommandTests
{
    private const string Space = "ofa-mbv3-w1.2";
    private static readonly string[] Sources = ["lat_ms_2080ti_1", "lat_ms_titan_xp_1", "lat_ms_v100_1"];
    private static readonly string[] ArchColumns = ["r", "d0", "d1", "d2", "d3", "d4", .. Enumerable.Range(0, 20).Select(i => $"ks{i}"), .. Enumerable.Range(0, 20).Select(i => $"e{i}")];

    [ReferenceDataFact]
    public void Fit_source_prior_then_auto_adapts_with_the_library_method_and_files_round_trip()
    {
        using var folder = new TempFolder();
        var (sourcesCsv, targetCsv) = WriteCsvs(folder);
        var prior = folder.File("prior.safetensors");
        var prior2 = folder.File("prior2.safetensors");
        var columns = string.Join(',', Sources);

        var fit = CliRunner.Run("fit", "--space", Space, "--data", sourcesCsv, "--columns", columns, "--out", prior);
        fit.ExitCode.ShouldBe(0, fit.Stderr);
        fit.Stdout.ShouldContain("source prior over 3 device(s) on 300 archs");
        CliRunner.Run("fit", "--space", Space, "--data", sourcesCsv, "--columns", columns, "--out", prior2).ExitCode.ShouldBe(0);
        File.ReadAllBytes(prior2).ShouldBe(File.ReadAllBytes(prior), "same CSV, same prior file bytes");

        var adapted = folder.File("adapted.safetensors");
        var adapted2 = folder.File("adapted2.safetensors");
        var adapt = CliRunner.Run("fit", "--space", Space, "--base", prior, "--data", targetCsv, "--strategy", "auto", "--shots", "20", "--seed", "3", "--out", adapted);
        adapt.ExitCode.ShouldBe(0, adapt.Stderr);
        adapt.Stdout.ShouldContain("auto chose source-prior");
        CliRunner.Run("fit", "--space", Space, "--base", prior, "--data", targetCsv, "--strategy", "auto", "--shots", "20", "--seed", "3", "--out", adapted2).ExitCode.ShouldBe(0);
        File.ReadAllBytes(adapted2).ShouldBe(File.ReadAllBytes(adapted), "same inputs and seed, same adapted file bytes");

        // The library call: the prior fit on the sources' structure features, adapted on the same 20 shots.
        var space = OfaSpace.Get(Space);
        var sourceRows = ReadRows(sourcesCsv, Sources);
        var library = SourcePrior.Fit(space.Name, Sources, [.. sourceRows.Select(r => OfaAdaptationFeatures.Structural(r.Arch, space))], OfaAdaptationFeatures.StructuralTier, [.. Sources.Select((_, s) => sourceRows.Select(r => r.Latency[s]).ToArray())]);
        SourcePriorFile.Read(prior).Encode().ShouldBe(library.Encode(), "the prior file holds the library's prior bit for bit");

        var measurements = MeasurementsCsv.Read(targetCsv, space, null).Items;
        var order = AdaptationRun.ShotOrder(measurements.Count, 3);
        var shots = order.Take(20).Select(i => measurements[i]).ToArray();
        var adaptation = library.Adapt([.. shots.Select(m => OfaAdaptationFeatures.Structural(m.Arch, space))], [.. shots.Select(m => m.LatencyMs)]);
        var archs = measurements.Select(m => m.Arch).ToArray();
        var expected = adaptation.PredictAll([.. archs.Select(a => OfaAdaptationFeatures.Structural(a, space))]);

        var loaded = PredictorLoader.Load(space, null, adapted);
        var fromFile = new double[archs.Length];
        loaded.Predict(archs, fromFile);
        fromFile.ShouldBe(expected, "the adapted file predicts exactly what the library's adaptation does");

        var predict = CliRunner.Run("predict", "--space", Space, "--predictor", adapted, "--arch-json", ArchJson.Write(archs[0]), "--json");
        predict.ExitCode.ShouldBe(0, predict.Stderr);
        JsonDocument.Parse(predict.Stdout).RootElement.GetProperty("latency_ms").GetDouble().ShouldBe(expected[0]);

        // Held-out ranking: the transfer works on these unlike devices (batch 1 → batch 64).
        var heldOut = order.Skip(20).ToArray();
        Statistics.RankCorrelation.Spearman([.. heldOut.Select(i => expected[i])], [.. heldOut.Select(i => measurements[i].LatencyMs)]).ShouldBeGreaterThan(0.95);
    }

    [ReferenceDataFact]
    public void Sample_base_chooses_the_same_archs_for_the_same_seed_and_refuses_bad_options()
    {
        using var folder = new TempFolder();
        var (sourcesCsv, targetCsv) = WriteCsvs(folder);
        var prior = folder.File("prior.safetensors");
        CliRunner.Run("fit", "--space", Space, "--data", sourcesCsv, "--columns", string.Join(',', Sources), "--out", prior).ExitCode.ShouldBe(0);

        var first = CliRunner.Run("sample", "--space", Space, "--base", prior, "--count", "12", "--seed", "5");
        first.ExitCode.ShouldBe(0, first.Stderr);
        var lines = first.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        lines.Length.ShouldBe(12);
        lines.Distinct().Count().ShouldBe(12);
        CliRunner.Run("sample", "--space", Space, "--base", prior, "--count", "12", "--seed", "5").Stdout.ShouldBe(first.Stdout);

        CliRunner.Run("sample", "--base", prior, "--count", "3").ExpectSingleError("LG0743");
        CliRunner.Run("sample", "--space", Space, "--base", prior, "--count", "1001").ExpectSingleError("LG0743");
        CliRunner.Run("fit", "--space", Space, "--data", sourcesCsv, "--columns", string.Join(',', Sources), "--base", prior, "--out", folder.File("x.safetensors")).ExpectSingleError("LG0742");
        // A second file: one file named twice is LG0156 (one base counted as two) before the bases are read.
        var otherPrior = folder.File("prior-copy.safetensors");
        File.Copy(prior, otherPrior);
        CliRunner.Run("fit", "--space", Space, "--base", prior, "--base", otherPrior, "--data", targetCsv, "--out", folder.File("y.safetensors")).ExpectSingleError("LG0740");
        CliRunner.Run("fit", "--space", "ofa-mbv3-w1.0", "--base", prior, "--data", targetCsv, "--out", folder.File("z.safetensors")).ExpectSingleError("LG0741");
    }

    [ReferenceDataFact]
    public void The_gate_adapts_a_source_prior_in_finetune_and_through_a_proxy_device_and_caches_it()
    {
        using var folder = new TempFolder();
        var (sourcesCsv, targetCsv) = WriteCsvs(folder);
        var prior = folder.File("prior.safetensors");
        CliRunner.Run("fit", "--space", Space, "--data", sourcesCsv, "--columns", string.Join(',', Sources), "--out", prior).ExitCode.ShouldBe(0);
        var arch = MeasurementsCsv.Read(targetCsv, OfaSpace.Get(Space), null).Items[7].Arch;
        File.WriteAllText(folder.File("model.arch.json"), ArchJson.Write(arch));
        File.WriteAllText(folder.File("latency-gate.yaml"), $$"""
            version: 1
            space: {{Space}}
            model:
              arch: model.arch.json
            devices:
              - name: gpus
                budget_ms: 1000
                predictor:
                  file: '{{prior}}'
              - name: rtx64
                budget_ms: 1000
                predictor:
                  finetune: {base: '{{prior}}', measurements: '{{targetCsv}}'}
              - name: rtx64-by-proxy
                budget_ms: 1000
                predictor:
                  proxy: {device: gpus, measurements: '{{targetCsv}}'}
            """);
        string[] args = ["check", "--manifest", folder.File("latency-gate.yaml"), "--cache-dir", folder.File("cache"), "--report-dir", folder.File("reports")];

        var first = CliRunner.Run(args);
        first.ExitCode.ShouldBe(0, first.Stderr);
        double[] Latencies()
        {
            using var json = JsonDocument.Parse(File.ReadAllText(folder.File(Path.Combine("reports", "latency-gate.json"))));
            var devices = json.RootElement.GetProperty("devices");
            devices[1].GetProperty("predictor").GetString()!.ShouldStartWith("source-prior:");
            devices[2].GetProperty("predictor").GetString()!.ShouldStartWith("source-prior:");
            return [.. Enumerable.Range(0, 3).Select(i => devices[i].GetProperty("latency_ms").GetDouble())];
        }

        var fresh = Latencies();
        var second = CliRunner.Run(args);
        second.ExitCode.ShouldBe(0, second.Stderr);
        Latencies().ShouldBe(fresh, "the cached adaptation predicts what the fresh one did");
        fresh[1].ShouldBe(fresh[2], "finetune on the prior and a proxy whose predictor is the prior are the same adaptation");
    }

    [ReferenceDataFact]
    public void Several_data_files_one_device_each_fit_the_same_prior_as_one_csv_with_columns()
    {
        using var folder = new TempFolder();
        var (sourcesCsv, _) = WriteCsvs(folder);
        var lines = File.ReadAllLines(sourcesCsv);
        var files = Sources.Select((source, s) =>
        {
            var path = folder.File(source + ".csv");
            File.WriteAllLines(path, [string.Join(',', ArchColumns.Append("latency_ms")), .. lines.Skip(1).Select(l => string.Join(',', l.Split(',').Take(ArchColumns.Length).Append(l.Split(',')[ArchColumns.Length + s])))]);
            return path;
        }).ToArray();
        var fromColumns = folder.File("columns.safetensors");
        var fromFiles = folder.File("files.safetensors");
        CliRunner.Run("fit", "--space", Space, "--data", sourcesCsv, "--columns", string.Join(',', Sources), "--out", fromColumns).ExitCode.ShouldBe(0);
        var fit = CliRunner.Run("fit", "--space", Space, "--data", files[0], "--data", files[1], "--data", files[2], "--out", fromFiles);
        fit.ExitCode.ShouldBe(0, fit.Stderr);
        fit.Stdout.ShouldContain("source prior over 3 device(s) on 300 archs");

        var space = OfaSpace.Get(Space);
        var a = SourcePriorFile.Read(fromColumns);
        var b = SourcePriorFile.Read(fromFiles);
        b.Sources.ShouldBe(Sources, "each file is one device, named by its file name");
        var archs = ReadRows(sourcesCsv, Sources).Take(20).Select(r => OfaAdaptationFeatures.Structural(r.Arch, space)).ToArray();
        archs.Select(b.Consensus).ShouldBe(archs.Select(a.Consensus), "the same measurements, the same prior");

        CliRunner.Run("fit", "--space", Space, "--data", files[0], "--data", files[0], "--out", folder.File("x.safetensors")).ExpectSingleError("LG0742");
    }

    [Fact]
    public void A_truncated_source_prior_is_refused()
    {
        var prior = SourcePrior.Fit("fbnet", ["a", "b"], [[1, 2, 0], [2, 1, 1], [3, 5, 0], [4, 4, 1], [5, 7, 1]], [0, 1, 2], [[1, 2, 3, 4, 5], [2, 1, 4, 3, 6]]);
        var bytes = prior.Encode();
        SourcePrior.Decode(bytes).Encode().ShouldBe(bytes);
        Should.Throw<InvalidDataException>(() => SourcePrior.Decode(bytes[..^3]));
        Should.Throw<InvalidDataException>(() => SourcePrior.Decode([.. bytes, 0]));
    }

    private static (string Sources, string Target) WriteCsvs(TempFolder folder)
    {
        var lines = File.ReadAllLines(ReferenceData.PathOf("help", "ofa", "ofa_mbv3_gpu_latency.csv"));
        var header = lines[0].Split(',');
        int Index(string name) => Array.IndexOf(header, name);
        string Row(string line, IEnumerable<string> names)
        {
            var cells = line.Split(',');
            return string.Join(',', names.Select(n => cells[Index(n)]));
        }

        var sources = folder.File("sources.csv");
        File.WriteAllLines(sources, [string.Join(',', ArchColumns.Concat(Sources)), .. lines.Skip(1).Take(300).Select(l => Row(l, ArchColumns.Concat(Sources)))]);
        var target = folder.File("target.csv");
        File.WriteAllLines(target, [string.Join(',', ArchColumns.Append("latency_ms")), .. lines.Skip(301).Take(100).Select(l => Row(l, ArchColumns.Append("lat_ms_titan_rtx_64")))]);
        return (sources, target);
    }

    private static List<(Arch Arch, double[] Latency)> ReadRows(string path, string[] latencyColumns)
    {
        var lines = File.ReadAllLines(path);
        var header = lines[0].Split(',');
        var rows = new List<(Arch, double[])>();
        foreach (var line in lines.Skip(1))
        {
            var cells = line.Split(',');
            int Cell(string name) => int.Parse(cells[Array.IndexOf(header, name)], CultureInfo.InvariantCulture);
            var arch = Arch.Create(
                [.. Enumerable.Range(0, 20).Select(i => Cell($"ks{i}"))],
                [.. Enumerable.Range(0, 20).Select(i => Cell($"e{i}"))],
                [.. Enumerable.Range(0, 5).Select(i => Cell($"d{i}"))],
                Cell("r"));
            rows.Add((arch, [.. latencyColumns.Select(c => double.Parse(cells[Array.IndexOf(header, c)], CultureInfo.InvariantCulture))]));
        }

        return rows;
    }
}
