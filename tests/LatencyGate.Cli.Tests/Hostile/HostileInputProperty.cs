using System.Text;
using System.Text.RegularExpressions;
using FsCheck;
using FsCheck.Fluent;
using Xunit;

namespace LatencyGate.Tests.Hostile;

/// <summary>
/// The promise of issue 18 as a property: the CLI's commands, run in process on generated hostile
/// files (the example fleet's manifest, arch, measurements, lookup table and predictor, mutated;
/// special files in their place), never exit 3, never print a stack trace and never exceed a time
/// bound. Round 4 added what its sweep found: mutated arch lists (export, simulate), hostile values of
/// numeric, structured and path options, and outputs that are special files or lie under one. Round 5
/// added argument lists (an '@' token naming a file, '--' separators, an option given twice), YAML
/// alias bombs, deep nesting and long keys in a manifest or a table, and two more mutations (a header
/// column repeated, CR-only line ends). Round 7 added outputs that name an input, counts past what
/// a list holds, device columns named twice, rows longer than their header and hostile init options.
/// A bounded number of cases keeps it to seconds.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")] // FIFOs
public sealed partial class HostileInputProperty
{
    private const int Cases = 90;

    private static readonly string[] Targets = ["manifest", "arch", "csv", "lut", "predictor", "special", "archlist", "option", "output", "argv", "yaml", "aliasing"];

    private static readonly string[] Payloads =
    [
        "", "\0", "NaN", "-1", "0", "1e308", "-1e308", "1e-320", "Infinity", "\"", "\n", "\r\n", "\uFEFF", "{", "]", "*a", "&a [",
        "..", ",", ":", "- ", "\t", "'", "\\", "null", "~", new string('x', 20_000), "9999999999999999999999", "[[[[[[[[[[", "!!binary",
    ];

    private const int Mutations = 10;

    [Fact]
    public void No_hostile_input_ends_in_an_internal_error_a_stack_trace_or_a_hang()
    {
        using var fleet = new TempFolder("examples/fleet");
        var fifo = fleet.File("a-fifo");
        Hostile.MakeFifo(fifo);
        Directory.CreateDirectory(fleet.File("loop"));
        File.CreateSymbolicLink(fleet.File("loop/a"), ".");
        File.CreateSymbolicLink(fleet.File("loop/b"), ".");
        File.WriteAllText(fleet.File("light.yaml"), $"""
            version: 1
            space: {Hostile.Space}
            model:
              arch: model/arch.json
            defaults:
              confidence: 0.9
            devices:
              - name: phone-big
                budget_ms: 14
                predictor:
                  lut: luts/phone-big
              - name: edge-gpu
                budget_ms: 4
                predictor:
                  file: predictors/edge-gpu.safetensors
            """);
        string[] specials = ["/dev/zero", "/dev/null", fifo, fleet.File("loop"), fleet.File("missing"), "/proc/self/status", fleet.File("luts"), ""];
        var counter = 0;
        var cases = from target in Gen.Elements(Targets)
                    from mutation in Gen.Choose(0, Mutations - 1)
                    from position in Gen.Choose(0, 1 << 20)
                    from payload in Gen.Elements(Payloads)
                    from special in Gen.Elements(specials)
                    select (target, mutation, position, payload, special);
        Prop.ForAll(cases.ToArbitrary(), c =>
        {
            var dir = Directory.CreateDirectory(fleet.File($"case{Interlocked.Increment(ref counter)}")).FullName;
            foreach (var args in Commands(fleet, dir, c.target, c.mutation, c.position, c.payload, c.special))
            {
                Hostile.Run(args);
            }

            return true;
        }).Check(Config.QuickThrowOnFailure.WithMaxTest(Cases));
    }

    private static IEnumerable<string[]> Commands(TempFolder fleet, string dir, string target, int mutation, int position, string payload, string special)
    {
        var arch = fleet.File("model/arch.json");
        var lut = fleet.File("luts/phone-big");
        var predictor = fleet.File("predictors/edge-gpu.safetensors");
        var csv = fleet.File("data/phone-mid.csv");
        string Mutated(string source, string name)
        {
            var path = Path.Combine(dir, name);
            File.WriteAllBytes(path, Mutate(File.ReadAllBytes(source), mutation, position, payload));
            return path;
        }

        switch (target)
        {
            case "manifest":
                // Beside the original, so its relative paths still resolve.
                var manifest = fleet.File(Path.GetFileName(dir) + ".yaml");
                File.WriteAllBytes(manifest, Mutate(File.ReadAllBytes(fleet.File("light.yaml")), mutation, position, payload));
                yield return ["check", "-m", manifest, "--report-dir", Path.Combine(dir, "reports")];
                break;
            case "arch":
                yield return ["predict", "--space", Hostile.Space, "--lut", lut, "--arch", Mutated(arch, "arch.json"), "--json"];
                break;
            case "csv":
                var data = Mutated(csv, "data.csv");
                yield return ["evaluate", "--predictor", predictor, "--data", data, "--json"];
                if (position % 4 == 0)
                {
                    yield return ["fit", "--space", Hostile.Space, "--data", data, "--model", "additive", "--epochs", "2", "--out", Path.Combine(dir, "fit.safetensors")];
                }

                break;
            case "lut":
                var tables = Directory.CreateDirectory(Path.Combine(dir, "lut")).FullName;
                foreach (var table in Directory.GetFiles(lut))
                {
                    File.Copy(table, Path.Combine(tables, Path.GetFileName(table)));
                }

                File.WriteAllBytes(Path.Combine(tables, "192_lookup_table.yaml"), Mutate(File.ReadAllBytes(Path.Combine(lut, "192_lookup_table.yaml")), mutation, position, payload));
                yield return ["predict", "--space", Hostile.Space, "--lut", tables, "--arch", arch, "--json"];
                break;
            case "predictor":
                var file = Mutated(predictor, "p.safetensors");
                yield return ["predict", "--space", Hostile.Space, "--predictor", file, "--arch", arch, "--json"];
                yield return ["evaluate", "--predictor", file, "--data", csv];
                break;
            case "archlist":
                // Round 4: arch lists (export, simulate) and the arch list as a measurements CSV.
                var list = Path.Combine(dir, "archs.jsonl");
                File.WriteAllBytes(list, Mutate(File.ReadAllBytes(arch), mutation, position, payload));
                yield return position % 2 == 0
                    ? ["export", "--space", Hostile.Space, "--archs", list, "--out", Path.Combine(dir, "onnx")]
                    : ["simulate", "--device", "sim-phone-mid", "--space", Hostile.Space, "--archs", list, "--out", Path.Combine(dir, "sim.csv"), "--lut-out", Path.Combine(dir, "lut-out"), "--lut-resolutions", "160"];
                break;
            case "option":
                // Round 4: a hostile payload as the value of a numeric, structured or path option.
                string[][] withValue =
                [
                    ["fit-generalized", "--space", Hostile.Space, "--device", "name=a,cores=" + payload + $",memory_gb=8,memory_bandwidth_gbps=10,peak_fp32_gflops=50,batch_size=1,data={csv}", "--device", $"name=b,cores=8,memory_gb=8,memory_bandwidth_gbps=20,peak_fp32_gflops=500,batch_size=1,data={csv}", "--out", Path.Combine(dir, "g.safetensors")],
                    ["monotonicity", "--data", csv, "--columns", payload, "--bootstrap", "5"],
                    ["sample", "--space", Hostile.Space, "--count", "2", "--resolutions", payload],
                    ["simulate", "--device", "sim-phone-mid", "--space", Hostile.Space, "--count", "2", "--out", payload.Length == 0 ? dir : Path.Combine(dir, payload)],
                    ["init", "--path", payload.Length == 0 ? "--force" : Path.Combine(dir, payload, "m.yaml")],
                ];
                yield return withValue[position % withValue.Length];
                break;
            case "output":
                // Round 4: outputs that are special files or lie under one.
                string[][] outputs =
                [
                    ["fit", "--space", Hostile.Space, "--data", csv, "--epochs", "1", "--out", Path.Combine(special.Length == 0 ? dir : special, "o.safetensors")],
                    ["simulate", "--device", "sim-phone-mid", "--space", Hostile.Space, "--count", "2", "--lut-out", special.Length == 0 ? dir : special],
                    ["export", "--space", Hostile.Space, "--arch", arch, "--out", special],
                    ["search", "-m", Hostile.LutManifest(fleet, name: Path.GetFileName(dir) + "-s.yaml", extra: "search: {population: 4, generations: 1}"), "--out", special],
                ];
                yield return outputs[position % outputs.Length];
                break;
            case "argv":
                // Round 5: '@' tokens (response files would recurse or read /dev/zero), '--', an option twice.
                var rsp = Path.Combine(dir, "self.rsp");
                File.WriteAllText(rsp, "@" + rsp + "\n" + payload);
                string[][] argv =
                [
                    ["profiles", "@" + rsp],
                    ["predict", "--space", Hostile.Space, "--lut", lut, "--arch", arch, "@" + (special.Length == 0 ? rsp : special)],
                    ["predict", "--space", Hostile.Space, "--lut", lut, "--arch", arch, "--", payload],
                    ["predict", "--space", Hostile.Space, "--", "--lut", lut, "--arch", arch],
                    ["fit", "--space", Hostile.Space, "--data", csv, "--out", Path.Combine(dir, "a.safetensors"), "--out", Path.Combine(dir, payload.Length == 0 ? "b" : "b" + payload.Length)],
                    ["evaluate", "--predictor", predictor, "--data", "@" + csv],
                    ["[suggest:" + position + "]", "check", payload],
                ];
                yield return argv[position % argv.Length];
                break;
            case "yaml":
                // Round 5: alias bombs, deep nesting and long keys, in a manifest and in a lookup table.
                var depth = 500 + (position % 20_000);
                var bomb = new System.Text.StringBuilder("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
                for (var i = 1; i < 9; i++)
                {
                    bomb.Append($"a{i}: &a{i} [").AppendJoin(", ", Enumerable.Repeat($"*a{i - 1}", 10)).Append("]\n");
                }

                string[] hostileYaml = [bomb.ToString(), "x: " + new string('[', depth) + new string(']', depth) + "\n", new string('k', depth * 50) + ": 1\n", "x: " + string.Concat(Enumerable.Repeat("{a: ", depth)) + "1" + new string('}', depth) + "\n"];
                var chosen = hostileYaml[mutation % hostileYaml.Length];
                if (position % 2 == 0)
                {
                    var yamlManifest = fleet.File(Path.GetFileName(dir) + ".yaml");
                    File.WriteAllText(yamlManifest, File.ReadAllText(fleet.File("light.yaml")).Replace("devices:", chosen + "devices:", StringComparison.Ordinal));
                    yield return ["check", "-m", yamlManifest, "--report-dir", Path.Combine(dir, "reports")];
                }
                else
                {
                    var yamlTables = Directory.CreateDirectory(Path.Combine(dir, "lut")).FullName;
                    File.WriteAllText(Path.Combine(yamlTables, "192_lookup_table.yaml"), chosen + File.ReadAllText(Path.Combine(lut, "192_lookup_table.yaml")));
                    yield return ["predict", "--space", Hostile.Space, "--lut", yamlTables, "--arch", arch, "--json"];
                }

                break;
            case "aliasing":
                // Round 7: an output that is an input, counts past what a list holds, a column named twice,
                // a row longer than its header, a starter written from a hostile --lut or --schema.
                var copy = Mutated(csv, "own.csv");
                var archCopy = Path.Combine(dir, "own-arch.json");
                File.Copy(arch, archCopy);
                var ownLut = Directory.CreateDirectory(Path.Combine(dir, "own-lut")).FullName;
                foreach (var table in Directory.GetFiles(lut))
                {
                    File.Copy(table, Path.Combine(ownLut, Path.GetFileName(table)));
                }

                var sources = Path.Combine(dir, "sources.csv");
                File.WriteAllLines(sources, ["id,a,a,b", .. Enumerable.Range(0, 12).Select(i => $"{i},{1 + i},{2 + i},{3 + (i * 5 % 7)}")]);
                string[][] aliasing =
                [
                    ["fit", "--space", Hostile.Space, "--data", copy, "--out", copy],
                    ["fit", "--space", Hostile.Space, "--data", csv, "--base", ownLut, "--out", Path.Combine(ownLut, payload.Length == 0 ? "160_lookup_table.yaml" : "x.safetensors")],
                    ["export", "--space", Hostile.Space, "--arch", archCopy, "--out", archCopy],
                    ["sample", "--space", Hostile.Space, "--count", (position % 3) switch { 0 => "2147483647", 1 => "1000001", _ => payload }],
                    ["monotonicity", "--data", sources, "--columns", position % 2 == 0 ? "a,b" : "b," + payload + ",b", "--bootstrap", "5"],
                    ["evaluate", "--predictor", predictor, "--data", WithTail(Mutated(csv, "ragged.csv"), "," + payload)],
                    ["init", "--path", Path.Combine(dir, "m.yaml"), position % 2 == 0 ? "--lut" : "--schema", payload],
                    ["fit", "--space", Hostile.Space, "--data", csv, "--batch-size", payload.Length == 0 ? "0" : payload, "--out", Path.Combine(dir, "b.safetensors")],
                ];
                yield return aliasing[position % aliasing.Length];
                break;
            default:
                string[][] all =
                [
                    ["check", "-m", special],
                    ["predict", "--space", Hostile.Space, "--lut", special, "--arch", arch],
                    ["predict", "--space", Hostile.Space, "--predictor", special, "--arch", arch],
                    ["predict", "--space", Hostile.Space, "--lut", lut, "--arch", special],
                    ["evaluate", "--predictor", predictor, "--data", special],
                    ["monotonicity", "--data", special, "--columns", "a,b"],
                    ["fit", "--space", Hostile.Space, "--data", csv, "--epochs", "1", "--out", special.Length == 0 ? dir : special],
                ];
                yield return all[position % all.Length];
                break;
        }
    }

    /// <summary>The file with <paramref name="tail"/> appended to its second line (a row longer than its header).</summary>
    private static string WithTail(string path, string tail)
    {
        var lines = File.ReadAllText(path).Split('\n');
        if (lines.Length > 1)
        {
            lines[1] += tail;
        }

        File.WriteAllText(path, string.Join('\n', lines));
        return path;
    }

    /// <summary>One mutation of a file's bytes, placed by <paramref name="position"/>.</summary>
    internal static byte[] Mutate(byte[] original, int mutation, int position, string payload)
    {
        var bytes = Encoding.UTF8.GetBytes(payload);
        var at = original.Length == 0 ? 0 : position % original.Length;
        switch (mutation)
        {
            case 0: // insert
                return [.. original.AsSpan(0, at), .. bytes, .. original.AsSpan(at)];
            case 1: // replace the number at or after the position
                var text = Encoding.Latin1.GetString(original);
                var number = Number().Match(text, at);
                if (!number.Success)
                {
                    number = Number().Match(text);
                }

                return number.Success
                    ? [.. original.AsSpan(0, number.Index), .. bytes, .. original.AsSpan(number.Index + number.Length)]
                    : original;
            case 2: // truncate
                return original[..at];
            case 3: // delete the line holding the position
                var start = Array.LastIndexOf(original, (byte)'\n', Math.Max(0, at - 1)) + 1;
                var end = Array.IndexOf(original, (byte)'\n', at);
                return [.. original.AsSpan(0, start), .. end < 0 ? [] : original.AsSpan(end + 1)];
            case 4: // duplicate the line holding the position
                var from = Array.LastIndexOf(original, (byte)'\n', Math.Max(0, at - 1)) + 1;
                var to = Array.IndexOf(original, (byte)'\n', at) is var e and >= 0 ? e + 1 : original.Length;
                return [.. original.AsSpan(0, to), .. original.AsSpan(from, to - from), .. original.AsSpan(to)];
            case 5: // the payload alone
                return bytes;
            case 6: // a byte order mark, then CRLF line ends
                return [0xEF, 0xBB, 0xBF, .. Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(original).Replace("\n", "\r\n", StringComparison.Ordinal))];
            case 8: // round 5: the cell of the first line at the position repeated (a header column named twice)
                var firstLine = Array.IndexOf(original, (byte)'\n') is var nl and >= 0 ? nl : original.Length;
                var cellStart = Array.LastIndexOf(original, (byte)',', Math.Clamp(at, 0, Math.Max(0, firstLine - 1))) + 1;
                var cellEnd = Array.IndexOf(original, (byte)',', cellStart) is var ce and >= 0 && ce < firstLine ? ce : firstLine;
                return [.. original.AsSpan(0, cellEnd), (byte)',', .. original.AsSpan(cellStart, cellEnd - cellStart), .. original.AsSpan(cellEnd)];
            case 9: // round 5: CR-only line ends from the position on (old Mac files, a mixed file)
                return [.. original.AsSpan(0, at), .. original.AsSpan(at).ToArray().Select(b => b == (byte)'\n' ? (byte)'\r' : b)];
            default: // noise: bytes derived from the position
                var random = new Randomness.SeededRandom((ulong)position);
                var noise = Enumerable.Range(0, 16).Select(_ => (byte)random.NextInt(256)).ToArray();
                return [.. original.AsSpan(0, at), .. noise, .. original.AsSpan(Math.Min(original.Length, at + noise.Length))];
        }
    }

    [GeneratedRegex(@"-?[0-9]+(\.[0-9]+)?([eE][+-]?[0-9]+)?")]
    private static partial Regex Number();
}
