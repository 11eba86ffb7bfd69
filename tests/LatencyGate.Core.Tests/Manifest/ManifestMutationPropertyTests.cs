using FsCheck;
using FsCheck.Fluent;
using LatencyGate.Manifest;
using Xunit;

namespace LatencyGate.Tests.Manifest;

/// <summary>
/// Random mutations of a valid manifest (lines deleted, duplicated, swapped; characters changed;
/// values replaced by hostile ones) never crash the loader: the outcome is a manifest or LG
/// diagnostics, each with a line and column.
/// </summary>
public sealed class ManifestMutationPropertyTests : IDisposable
{
    private static readonly string[] Values =
    [
        string.Empty, "-1", "0", "1e309", "[", "]", "{a: 1}", "~", "true", "'x'", "\"", ".nan", "99999999999999999999",
        "&a x", "*a", "*nope", "!!binary AAAA", "[1, [2, [3]]]", "- x", "|", ">", "%", "@", "`", "{", "}", ": :", "\t", "x: y: z",
        "ofa-mbv3-w1.2", "per-device", "2ms", "150%", "luts/note10", "../../etc", "C:\\x", "\u0000", "😀", "---", "...",
    ];

    private static readonly char[] Chars = [':', '-', ' ', '[', ']', '{', '}', '&', '*', '"', '\'', '#', '\t', '|', '>', '!', '%', '@', '`', ',', '?', 'a', '0', '\n', '\r'];

    private readonly ManifestWorkspace _ws = new();

    public void Dispose() => _ws.Dispose();

    [Fact]
    public void Random_mutations_never_crash_the_loader()
    {
        var mutations = Gen.Choose(0, int.MaxValue).ArrayOf().Select(a => a.Take(12).ToArray());

        Prop.ForAll(Arb.From(mutations), seeds =>
        {
            var text = Mutate(ManifestWorkspace.ValidManifest, seeds);
            var result = ManifestLoader.LoadText(text, _ws.ManifestPath);
            var wellFormed = result.Diagnostics.All(d =>
                d.Code.StartsWith("LG04", StringComparison.Ordinal) && d.Location is { Line: >= 1, Column: >= 1 } && d.Message.Length > 0);
            var consistent = result.HasErrors ? result.Manifest is null : result.Manifest is not null;
            return (wellFormed && consistent).Label($"text:\n{text}\ndiagnostics:\n{string.Join("\n", result.Diagnostics)}");
        }).Check(Config.QuickThrowOnFailure.WithMaxTest(400).WithReplay(12345UL, 67891UL));
    }

    private static string Mutate(string text, int[] seeds)
    {
        var lines = text.Split('\n').ToList();
        for (var k = 0; k + 1 < seeds.Length && lines.Count > 0; k += 2)
        {
            var op = seeds[k] % 6;
            var i = seeds[k + 1] % lines.Count;
            var j = (seeds[k + 1] / 7) % lines.Count;
            switch (op)
            {
                case 0:
                    lines.RemoveAt(i);
                    break;
                case 1:
                    lines.Insert(i, lines[i]);
                    break;
                case 2:
                    (lines[i], lines[j]) = (lines[j], lines[i]);
                    break;
                case 3 when lines[i].Length > 0:
                    {
                        var pos = (seeds[k] / 6) % lines[i].Length;
                        var c = Chars[(seeds[k] / 11) % Chars.Length];
                        lines[i] = string.Concat(lines[i].AsSpan(0, pos), c.ToString(), lines[i].AsSpan(pos + 1));
                        break;
                    }

                case 4:
                    {
                        var colon = lines[i].IndexOf(':', StringComparison.Ordinal);
                        var value = Values[(seeds[k] / 6) % Values.Length];
                        lines[i] = colon >= 0 ? string.Concat(lines[i].AsSpan(0, colon + 1), " ", value) : value;
                        break;
                    }

                default:
                    lines.Insert(i, new string(' ', (seeds[k] / 6) % 9) + Values[(seeds[k] / 60) % Values.Length]);
                    break;
            }
        }

        return string.Join('\n', lines);
    }
}
