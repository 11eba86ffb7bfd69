using System.Diagnostics;
using System.Text;
using System.Text.Json;
using Shouldly;

namespace LatencyGate.Tests.Hostile;

/// <summary>
/// Helpers for the hostile-input tests (issue 18): every run must end without exit code 3, without
/// a stack trace and within a time bound, whatever the input.
/// </summary>
internal static class Hostile
{
    public const string Space = "ofa-mbv3-w1.2";

    /// <summary>A run that never takes longer than this is "not hanging" (the machine may be loaded).</summary>
    public static readonly TimeSpan Bound = TimeSpan.FromSeconds(60);

    public static (int ExitCode, string Stdout, string Stderr) Run(params string[] args)
    {
        var watch = Stopwatch.StartNew();
        var result = CliRunner.Run(args);
        watch.Elapsed.ShouldBeLessThan(Bound, string.Join(' ', args));
        ShouldBeClean(result, string.Join(' ', args));
        return result;
    }

    /// <summary>No internal error: never exit code 3, LG0999 or a stack trace.</summary>
    public static void ShouldBeClean((int ExitCode, string Stdout, string Stderr) result, string what)
    {
        result.ExitCode.ShouldNotBe(3, $"{what}\n{result.Stderr}");
        result.Stderr.ShouldNotContain("LG0999", customMessage: what);
        result.Stderr.ShouldNotContain("   at ", customMessage: what);
        result.Stdout.ShouldNotContain("   at ", customMessage: what);
    }

    /// <summary>Exit code 2 and an error line with <paramref name="code"/>; returns that line.</summary>
    public static string ShouldFailWith(this (int ExitCode, string Stdout, string Stderr) result, string code)
    {
        result.ExitCode.ShouldBe(2, result.Stderr);
        var line = result.Stderr.Split('\n').FirstOrDefault(l => l.Contains($"error {code}: ", StringComparison.Ordinal));
        line.ShouldNotBeNull($"expected {code}; stderr:\n{result.Stderr}");
        return line;
    }

    public static string Fleet(TempFolder folder, string relative) => folder.File(relative);

    /// <summary>A manifest of one LUT device (the fleet's phone-big tables) checking the fleet's arch.</summary>
    public static string LutManifest(TempFolder folder, string lut = "luts/phone-big", string name = "latency-gate.test.yaml", string extra = "")
    {
        var path = folder.File(name);
        File.WriteAllText(path, $"""
            version: 1
            space: {Space}
            model:
              arch: model/arch.json
            {extra}
            devices:
              - name: phone
                budget_ms: 14
                predictor:
                  lut: {lut}
            """);
        return path;
    }

    /// <summary>Sets every float of a tensor in a safetensors file (to break a predictor on purpose).</summary>
    public static void SetTensor(string path, string tensor, float value)
    {
        var bytes = File.ReadAllBytes(path);
        var headerLength = (int)BitConverter.ToUInt64(bytes, 0);
        using var header = JsonDocument.Parse(bytes.AsMemory(8, headerLength));
        var offsets = header.RootElement.GetProperty(tensor).GetProperty("data_offsets");
        var (start, end) = (offsets[0].GetInt32(), offsets[1].GetInt32());
        for (var at = 8 + headerLength + start; at < 8 + headerLength + end; at += 4)
        {
            BitConverter.TryWriteBytes(bytes.AsSpan(at, 4), value);
        }

        File.WriteAllBytes(path, bytes);
    }

    /// <summary>A copy of a measurements CSV with every latency replaced.</summary>
    public static string WithLatency(TempFolder folder, string source, string latency, string name)
    {
        var lines = File.ReadAllLines(source);
        var sb = new StringBuilder(lines[0]).Append('\n');
        foreach (var line in lines.Skip(1).Where(l => l.Length > 0))
        {
            sb.Append(line[..(line.LastIndexOf(',') + 1)]).Append(latency).Append('\n');
        }

        var path = folder.File(name);
        File.WriteAllText(path, sb.ToString());
        return path;
    }

    public static void MakeFifo(string path)
    {
        using var process = Process.Start(new ProcessStartInfo("mkfifo", [path]) { UseShellExecute = false })!;
        process.WaitForExit();
        process.ExitCode.ShouldBe(0);
    }
}
